package routing

import (
	"fmt"
	"math"
	"sort"
	"unicode"
	"unicode/utf8"
)

// Classifier labels a message. Implementations must be safe for concurrent
// use. The built-in one is NaiveBayes; an LLM-backed one can come later
// behind the same interface.
type Classifier interface {
	Classify(text string) Classification
}

// Classification is a classifier's answer.
type Classification struct {
	// Label is the best label, also when the classifier abstains (so
	// explanations can show its best guess); empty if it knows none.
	Label string
	// Confidence is the posterior probability of Label, in [0, 1].
	Confidence float64
	// Abstained is true when the classifier is not sure enough; routes
	// with a classifier matcher then do not match and the next rule decides.
	Abstained bool
}

// ClassifierConfig is the classifier section of the config.
//
//	classifier:
//	  threshold: 0.6
//	  examples:
//	    billing: ["quiero una factura", "where is my invoice", "segunda via do boleto"]
//	    sales:   ["cuanto cuesta", "how much is the premium plan", "quero comprar"]
type ClassifierConfig struct {
	// Threshold: below this confidence the classifier abstains. 0 means
	// DefaultThreshold.
	Threshold float64 `yaml:"threshold,omitempty"`
	// Examples are labelled messages to train on, by label.
	Examples map[string][]string `yaml:"examples"`
}

// DefaultThreshold is the confidence below which NaiveBayes abstains when
// the config sets none.
const DefaultThreshold = 0.6

// NaiveBayes is a multinomial naive Bayes classifier over normalised words
// (stopwords removed, light prefix stemming) with Laplace smoothing. It is
// read-only after training and safe for concurrent use.
type NaiveBayes struct {
	labels    []string
	logPrior  []float64
	logLike   map[string][]float64 // feature → log P(feature | label)
	logUnseen []float64            // log P(unseen feature | label)
	threshold float64
}

// laplace is the additive smoothing constant.
const laplace = 1.0

// TrainNaiveBayes trains on examples (label → messages). It needs at least
// two labels, each with an example that has a usable word.
func TrainNaiveBayes(examples map[string][]string, threshold float64) (*NaiveBayes, error) {
	if threshold == 0 {
		threshold = DefaultThreshold
	}
	if threshold < 0 || threshold > 1 {
		return nil, fmt.Errorf("threshold: %v must be between 0 and 1", threshold)
	}
	if len(examples) < 2 {
		return nil, fmt.Errorf("examples: need at least two labels, got %d", len(examples))
	}
	nb := &NaiveBayes{logLike: map[string][]float64{}, threshold: threshold}
	for label := range examples {
		if label == "" {
			return nil, fmt.Errorf("examples: empty label")
		}
		nb.labels = append(nb.labels, label)
	}
	sort.Strings(nb.labels)

	counts := map[string][]float64{}
	totals := make([]float64, len(nb.labels))
	docs := make([]float64, len(nb.labels))
	allDocs := 0.0
	for i, label := range nb.labels {
		for _, ex := range examples[label] {
			feats := Features(ex)
			if len(feats) == 0 {
				continue
			}
			docs[i]++
			allDocs++
			for _, f := range feats {
				if counts[f] == nil {
					counts[f] = make([]float64, len(nb.labels))
				}
				counts[f][i]++
				totals[i]++
			}
		}
		if docs[i] == 0 {
			return nil, fmt.Errorf("examples.%s: no example with a usable word (stopwords and digits do not count)", label)
		}
	}
	vocab := float64(len(counts))
	nb.logPrior = make([]float64, len(nb.labels))
	nb.logUnseen = make([]float64, len(nb.labels))
	for i := range nb.labels {
		nb.logPrior[i] = math.Log(docs[i] / allDocs)
		nb.logUnseen[i] = math.Log(laplace / (totals[i] + laplace*vocab))
	}
	for f, c := range counts {
		ll := make([]float64, len(nb.labels))
		for i := range nb.labels {
			ll[i] = math.Log((c[i] + laplace) / (totals[i] + laplace*vocab))
		}
		nb.logLike[f] = ll
	}
	return nb, nil
}

// Labels are the trained labels, sorted.
func (nb *NaiveBayes) Labels() []string { return append([]string(nil), nb.labels...) }

// Classify returns the most probable label and its posterior probability.
// It abstains when the confidence is below the threshold or when no word
// of the text was seen in training (gibberish, another language).
func (nb *NaiveBayes) Classify(text string) Classification {
	scores := append([]float64(nil), nb.logPrior...)
	known := 0
	for _, f := range Features(text) {
		ll, ok := nb.logLike[f]
		if !ok {
			continue // unseen everywhere: tells nothing, as usual for NB
		}
		known++
		for i := range scores {
			scores[i] += ll[i]
		}
	}
	best := 0
	for i := range scores {
		if scores[i] > scores[best] {
			best = i
		}
	}
	// Posterior of the best label: 1 / Σ exp(s_i - s_best), stable.
	sum := 0.0
	for _, s := range scores {
		sum += math.Exp(s - scores[best])
	}
	c := Classification{Label: nb.labels[best], Confidence: 1 / sum}
	c.Abstained = known == 0 || c.Confidence < nb.threshold
	return c
}

// stemRunes is how many leading runes of a word the classifier keeps: a
// crude, language-independent stemmer that folds "factura", "facturas" and
// "facturacion" together, and "reembolso" with "reembolsar".
const stemRunes = 6

// Features are the classifier's view of text: normalised words without
// stopwords, one-letter words or numbers, cut to their first runes.
func Features(text string) []string {
	words := Words(text)
	out := words[:0]
	for _, w := range words {
		if IsStopword(w) || utf8.RuneCountInString(w) < 2 || allDigits(w) {
			continue
		}
		out = append(out, stem(w))
	}
	return out
}

func stem(w string) string {
	n := 0
	for i := range w {
		if n == stemRunes {
			return w[:i]
		}
		n++
	}
	return w
}

func allDigits(w string) bool {
	for _, r := range w {
		if !unicode.IsDigit(r) {
			return false
		}
	}
	return true
}
