package assist

import "strings"

// negativeSentiment is the sentiment at or below which the customer is
// taken to be upset (Signals.Negative): one strong word ("pésimo"), or
// two milder ones ("late", "broken"), with nothing kind beside them.
const negativeSentiment = -0.6

// sentimentLexicon weighs folded words (no accents, lower case): strong
// negatives -2, mild ones -1, positives +1. Small on purpose: it
// flags anger, not every complaint ("I have a problem with my order" is
// a question, not a reason to hand over).
var sentimentLexicon = map[string]int{}

func init() {
	add := func(weight int, list string) {
		for _, w := range strings.Fields(list) {
			sentimentLexicon[w] = weight
		}
	}
	// English.
	add(-2, `terrible horrible awful worst scam fraud ridiculous useless furious angry disgusting unacceptable
		pathetic incompetent joke rubbish garbage hate shameful liars lied stolen`)
	add(-1, `bad broken wrong late delay delayed never nobody disappointed annoyed upset complaint slow
		still again cancel unhappy frustrated frustrating`)
	add(1, `thanks thank great perfect excellent awesome love wonderful happy appreciate helpful amazing`)
	// Spanish.
	add(-2, `pesimo pesima horrible terrible estafa fraude ridiculo ridicula inutil inutiles furioso furiosa enojado
		enojada indignado indignada inaceptable verguenza vergonzoso basura harto harta odio mentirosos robo
		incompetentes cabreado cabreada`)
	add(-1, `mal malo mala roto rota tarde retraso demora nunca nadie decepcionado decepcionada molesto molesta queja
		lento todavia cancelar frustrado frustrada`)
	add(1, `gracias genial perfecto perfecta excelente encantado encantada feliz amable estupendo maravilloso`)
	// Portuguese.
	add(-2, `pessimo pessima horrivel terrivel golpe fraude ridiculo ridicula inutil furioso furiosa irritado irritada
		indignado indignada inaceitavel vergonha lixo absurdo odeio mentirosos roubo palhacada incompetentes`)
	add(-1, `ruim quebrado quebrada errado errada atrasado atrasada atraso demora nunca ninguem decepcionado
		decepcionada chateado chateada reclamacao lento ainda cancelar frustrado frustrada`)
	add(1, `obrigado obrigada otimo otima perfeito perfeita excelente adorei feliz maravilha legal`)
}

// Sentiment scores text in [-1, 1] with the lexicon: the balance of
// positive and negative words, damped so one mild word stays mild
// (score / (|score| + 1)). Shouting ("!!!", a message in capitals) makes
// a negative text more negative.
func Sentiment(text string) float64 {
	score := 0
	neg := false
	for _, w := range words(text) {
		switch v := sentimentLexicon[w]; {
		case v < 0:
			score += v
			neg = true
		case v > 0:
			score += v
		}
	}
	if neg && (strings.Contains(text, "!!") || shouting(text)) {
		score--
	}
	s := float64(score)
	if s < 0 {
		return s / (-s + 1)
	}
	return s / (s + 1)
}

// shouting reports a message mostly in capital letters (at least ten).
func shouting(text string) bool {
	upper, letters := 0, 0
	for _, r := range text {
		switch {
		case r >= 'A' && r <= 'Z' || r >= 'À' && r <= 'Þ':
			upper++
			letters++
		case r >= 'a' && r <= 'z' || r >= 'ß' && r <= 'ÿ':
			letters++
		}
	}
	return letters >= 10 && upper*10 >= letters*8
}
