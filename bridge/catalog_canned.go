package bridge

// cannedTexts are the texts of canned responses.
var cannedTexts = map[string]translations{}
