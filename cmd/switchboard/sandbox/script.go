package sandbox

// script is the guided tour: each step says who acts and what to do, and
// together they walk the routing examples of
// configs/switchboard.example.yaml (refunds → sales, an order number →
// the orders rule, the billing classifier) and the agents' verbs.
var script = []Step{
	{ID: "refund", Kind: "text", Title: "A customer asks for a refund", As: lucia, Text: "Quiero un reembolso de mi pedido",
		Hint: "Lucía writes in Spanish. The refunds rule sends her to the sales team: watch a thread and its status card appear in #sales."},
	{ID: "claim", Title: "Carla claims it and answers", As: carla, Channel: salesChannel, Text: "¡Hola Lucía! Lo reviso ahora mismo.",
		Hint: "In #sales, click Claim on Lucía's card (it shows who holds the conversation), then reply in the thread. The phone gets the reply with ✓ sent and ✓✓ delivered; open Lucía's chat and it turns read (blue). The receipts show as reactions on Carla's message."},
	{ID: "note", Title: "An internal note", As: carla, Channel: salesChannel, Text: "note: cliente habitual, revisar el pedido 123",
		Hint: "A message starting with note: stays in the thread (📝) and never reaches the customer."},
	{ID: "photo", Kind: "image", Title: "The customer sends a photo", As: lucia, Text: "Así llegó la caja",
		Hint: "Send an image from Lucía's phone: it lands in the thread as a file."},
	{ID: "transfer", Title: "Transfer to support", As: carla, Channel: salesChannel, Text: "!transfer support el reembolso lo tramita soporte",
		Hint: "Type it in the thread (or use the card's Transfer button). A new thread opens in #support with the context, assigned round robin to Ana or Bruno."},
	{ID: "canned", Title: "A canned response", As: ana, Channel: supportChannel, Text: "!canned refund",
		Hint: "As the assigned agent, in the new thread in #support: a private preview in Lucía's language appears; click Send."},
	{ID: "resolve", Title: "Resolve", As: ana, Channel: supportChannel,
		Hint: "Click Resolve on the card in #support. Lucía gets the satisfaction survey: press one of its buttons on her phone."},
	{ID: "order", Kind: "text", Title: "An order question", As: joao, Text: "Olá, o pedido 123 ainda não chegou",
		Hint: "The orders rule (pedido + a number) keeps it in support, in Portuguese. Then share a location from João's phone: the thread shows the place with a map link."},
	{ID: "billing", Kind: "text", Title: "The classifier", As: emma, Text: "I was charged twice for the same thing",
		Hint: "No keyword matches; the built-in classifier labels it billing and sends it to sales. In #sales, Carla can use the card's Send template button to send order_update."},
	{ID: "metrics", Title: "The supervisor's numbers", As: sam, Channel: supportChannel, Text: "/switchboard metrics",
		Hint: "As Sam in #support: the answer is visible to Sam only. Try /switchboard status and /switchboard queue too."},
}
