package bridge

// templateSyncTexts are the texts of template sync: status changes shown to supervisors.
var templateSyncTexts = map[string]translations{}
