package bridge

// firstLineTexts are the texts of the first-line assistant, to customers
// and in the thread (assist_firstline.go), and of LLM routing.
var firstLineTexts = map[string]translations{}
