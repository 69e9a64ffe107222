package bridge

// templateSendTexts are the texts of sending templates from a thread, the 24-hour window on the card, template errors.
var templateSendTexts = map[string]translations{}
