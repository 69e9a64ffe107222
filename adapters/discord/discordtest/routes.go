package discordtest

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"strconv"
	"time"
)

// ---------------------------------------------------------------------------
// Handlers

func (s *Server) gateway(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{"url": s.gw.url()})
}

func (s *Server) gatewayBot(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, http.StatusOK, map[string]any{
		"url": s.gw.url(), "shards": 1,
		"session_start_limit": map[string]any{"total": 1000, "remaining": 999, "reset_after": 14400000, "max_concurrency": 1},
	})
}

// channelJSON renders a channel as Discord does; s.mu must be held.
func channelJSON(c *Channel) map[string]any {
	out := map[string]any{
		"id": c.ID, "type": c.Type, "guild_id": GuildID, "name": c.Name, "flags": 0,
		"last_message_id": nil, "rate_limit_per_user": 0, "nsfw": false,
	}
	if c.ParentID != "" {
		out["parent_id"] = c.ParentID
	}
	if c.Type == TypePublicThread || c.Type == TypePrivateThread {
		out["owner_id"] = BotUserID
		out["message_count"] = 0
		out["member_count"] = 1
		out["applied_tags"] = nonNil(c.AppliedTags)
		out["thread_metadata"] = map[string]any{
			"archived": c.Archived, "auto_archive_duration": 10080, "locked": false,
			"archive_timestamp": time.Now().UTC().Format(time.RFC3339Nano), "create_timestamp": time.Now().UTC().Format(time.RFC3339Nano),
		}
	}
	if c.Type == TypeForum {
		tags := []any{}
		for _, t := range c.AvailableTags {
			tags = append(tags, map[string]any{"id": t.ID, "name": t.Name, "moderated": false, "emoji_id": nil, "emoji_name": nil})
		}
		out["available_tags"] = tags
	}
	return out
}

// badTagsLocked says why tags cannot be applied to a post of forum (""
// when they can): Discord accepts at most five of the forum's own tags.
func badTagsLocked(forum *Channel, tags []string) string {
	if forum == nil || forum.Type != TypeForum {
		return "applied_tags: only forum posts have tags"
	}
	if len(tags) > 5 {
		return "applied_tags: Must be 5 or fewer in length"
	}
	for _, id := range tags {
		known := false
		for _, t := range forum.AvailableTags {
			known = known || t.ID == id
		}
		if !known {
			return "applied_tags: unknown tag " + id
		}
	}
	return ""
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

func (s *Server) getChannel(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.channels[r.PathValue("channel")]
	if !ok {
		writeError(w, UnknownChannel())
		return
	}
	writeJSON(w, http.StatusOK, s.withOverwrites(channelJSON(c), c.ID)) // doctor.go
}

// getMessages answers GET /channels/{channel}/messages as Discord does:
// at most limit (1-100, default 50) messages after, before or (without
// either) up to the newest, always newest first.
func (s *Server) getMessages(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit := 50
	if v := q.Get("limit"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100 {
			badRequest(w, "limit: int value should be between 1 and 100")
			return
		}
		limit = n
	}
	after, before := snowflake(q.Get("after")), snowflake(q.Get("before"))
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.channels[r.PathValue("channel")]; !ok {
		writeError(w, UnknownChannel())
		return
	}
	var picked []*Message // oldest first
	for _, id := range s.order {
		m := s.messages[id]
		n := snowflake(id)
		if m.ChannelID != r.PathValue("channel") || n <= after || (before != 0 && n >= before) {
			continue
		}
		picked = append(picked, m)
	}
	if q.Get("after") != "" {
		picked = picked[:min(limit, len(picked))] // the oldest after the id
	} else {
		picked = picked[max(0, len(picked)-limit):] // the newest
	}
	out := make([]any, 0, len(picked))
	for i := len(picked) - 1; i >= 0; i-- {
		m := picked[i]
		if m.event != nil {
			out = append(out, m.event)
		} else {
			out = append(out, s.messageJSON(m))
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// getMember answers GET /guilds/{guild}/members/{user} for users the fake
// has seen write or click.
func (s *Server) getMember(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("user") == BotUserID && r.PathValue("guild") == GuildID {
		writeJSON(w, http.StatusOK, botMemberJSON()) // doctor.go
		return
	}
	s.mu.Lock()
	u, ok := s.members[r.PathValue("user")]
	s.mu.Unlock()
	if !ok || r.PathValue("guild") != GuildID {
		writeError(w, Failure{Status: http.StatusNotFound, Code: 10007, Message: "Unknown Member"})
		return
	}
	writeJSON(w, http.StatusOK, u.memberJSON(true))
}

func snowflake(id string) uint64 {
	n, _ := strconv.ParseUint(id, 10, 64)
	return n
}

func (s *Server) editChannel(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var edit struct {
		Name        *string   `json:"name"`
		Archived    *bool     `json:"archived"`
		AppliedTags *[]string `json:"applied_tags"`
	}
	if err := json.Unmarshal(body, &edit); err != nil {
		badRequest(w, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.channels[r.PathValue("channel")]
	if !ok {
		writeError(w, UnknownChannel())
		return
	}
	if edit.AppliedTags != nil {
		if msg := badTagsLocked(s.channels[c.ParentID], *edit.AppliedTags); c.Type != TypePublicThread || msg != "" {
			if msg == "" {
				msg = "applied_tags: only forum posts have tags"
			}
			badRequest(w, msg)
			return
		}
	}
	if edit.Name != nil {
		c.Name = *edit.Name
	}
	if edit.Archived != nil {
		c.Archived = *edit.Archived
	}
	if edit.AppliedTags != nil {
		c.AppliedTags = append([]string{}, *edit.AppliedTags...)
	}
	c.Edits = append(c.Edits, body)
	s.notifyLocked()
	writeJSON(w, http.StatusOK, channelJSON(c))
}

// readMessageBody reads a JSON body or a multipart body with payload_json
// and files[n] parts.
func readMessageBody(r *http.Request) (payload []byte, files []File, err error) {
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "multipart/form-data" {
		payload, err = io.ReadAll(r.Body)
		return payload, nil, err
	}
	mr := multipart.NewReader(r.Body, params["boundary"])
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			return payload, files, nil
		}
		if err != nil {
			return nil, nil, err
		}
		data, err := io.ReadAll(part)
		if err != nil {
			return nil, nil, err
		}
		if part.FormName() == "payload_json" {
			payload = data
			continue
		}
		files = append(files, File{Field: part.FormName(), Name: part.FileName(), ContentType: part.Header.Get("Content-Type"), Data: data})
	}
}

// messageFields is what we check in a message body.
type messageFields struct {
	Content    *string           `json:"content"`
	Embeds     []json.RawMessage `json:"embeds"`
	Components []json.RawMessage `json:"components"`
}

func validateMessage(payload []byte, nFiles int) (messageFields, string) {
	var f messageFields
	if len(payload) > 0 {
		if err := json.Unmarshal(payload, &f); err != nil {
			return f, err.Error()
		}
	}
	content := ""
	if f.Content != nil {
		content = *f.Content
	}
	if n := len([]rune(content)); n > 2000 {
		return f, fmt.Sprintf("content: Must be 2000 or fewer in length (got %d)", n)
	}
	if content == "" && len(f.Embeds) == 0 && nFiles == 0 && len(f.Components) == 0 {
		return f, "Cannot send an empty message"
	}
	return f, ""
}

// messageJSON renders a stored message as Discord answers it; s.mu held.
func (s *Server) messageJSON(m *Message) map[string]any {
	out := map[string]any{}
	_ = json.Unmarshal(m.Payload, &out)
	delete(out, "allowed_mentions")
	delete(out, "files")
	delete(out, "enforce_nonce")
	attachments := []any{}
	for _, f := range m.Files {
		id := s.newIDLocked()
		attachments = append(attachments, map[string]any{
			"id": id, "filename": f.Name, "size": len(f.Data), "content_type": f.ContentType,
			"url": CDNURL + "/attachments/" + m.ChannelID + "/" + id + "/" + f.Name,
		})
	}
	out["id"] = m.ID
	out["channel_id"] = m.ChannelID
	out["guild_id"] = GuildID
	out["type"] = 0
	out["author"] = map[string]any{"id": m.AuthorID, "username": BotUsername, "bot": true, "discriminator": "0"}
	out["attachments"] = attachments
	out["mentions"] = []any{}
	out["mention_roles"] = []any{}
	out["pinned"] = false
	out["tts"] = false
	out["mention_everyone"] = false
	out["timestamp"] = time.Now().UTC().Format(time.RFC3339Nano)
	if m.Edits > 0 {
		out["edited_timestamp"] = time.Now().UTC().Format(time.RFC3339Nano)
	} else {
		out["edited_timestamp"] = nil
	}
	if _, ok := out["embeds"]; !ok || out["embeds"] == nil {
		out["embeds"] = []any{}
	}
	if _, ok := out["components"]; !ok || out["components"] == nil {
		out["components"] = []any{}
	}
	if _, ok := out["content"]; !ok {
		out["content"] = ""
	}
	return out
}

func (s *Server) createMessage(w http.ResponseWriter, r *http.Request) {
	payload, files, err := readMessageBody(r)
	if err != nil {
		badRequest(w, err.Error())
		return
	}
	if _, msg := validateMessage(payload, len(files)); msg != "" {
		badRequest(w, msg)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	c, ok := s.channels[r.PathValue("channel")]
	if !ok {
		writeError(w, UnknownChannel())
		return
	}
	if c.Type == TypeForum {
		writeError(w, Failure{Status: http.StatusBadRequest, Code: 50008, Message: "Cannot send messages in a non-text channel"})
		return
	}
	var n nonceFields
	_ = json.Unmarshal(payload, &n) // validated above
	nonce := n.nonce()
	if len(nonce) > 25 {
		badRequest(w, "nonce: Must be 25 or fewer in length.")
		return
	}
	if m, ok := s.nonceHitLocked(nonce, n.EnforceNonce); ok {
		s.nonceHits++
		writeJSON(w, http.StatusOK, s.messageJSON(m)) // the message made before, nothing new
		return
	}
	m := s.storeLocked(s.newIDLocked(), c.ID, payload, files)
	s.rememberNonceLocked(nonce, n.EnforceNonce, m.ID)
	writeJSON(w, http.StatusOK, s.messageJSON(m))
}

func (s *Server) storeLocked(id, channelID string, payload []byte, files []File) *Message {
	m := &Message{ID: id, ChannelID: channelID, AuthorID: BotUserID, Payload: payload, Files: files}
	var f messageFields
	_ = json.Unmarshal(payload, &f)
	if f.Content != nil {
		m.Content = *f.Content
	}
	s.messages[id] = m
	s.order = append(s.order, id)
	s.notifyLocked()
	return m
}

func (s *Server) editMessage(w http.ResponseWriter, r *http.Request) {
	payload, files, err := readMessageBody(r)
	if err != nil {
		badRequest(w, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	m, ok := s.messages[r.PathValue("message")]
	if !ok || m.ChannelID != r.PathValue("channel") {
		writeError(w, Failure{Status: http.StatusNotFound, Code: 10008, Message: "Unknown Message"})
		return
	}
	// PATCH merges: fields absent from the body keep their values.
	merged := map[string]json.RawMessage{}
	_ = json.Unmarshal(m.Payload, &merged)
	patch := map[string]json.RawMessage{}
	if err := json.Unmarshal(payload, &patch); err != nil {
		badRequest(w, err.Error())
		return
	}
	for k, v := range patch {
		merged[k] = v
	}
	m.Payload, _ = json.Marshal(merged)
	var f messageFields
	_ = json.Unmarshal(m.Payload, &f)
	if f.Content != nil {
		m.Content = *f.Content
	}
	if len(files) > 0 {
		m.Files = files
	}
	m.Edits++
	s.notifyLocked()
	writeJSON(w, http.StatusOK, s.messageJSON(m))
}

func (s *Server) startThreadFromMessage(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name string `json:"name"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Name == "" {
		badRequest(w, "name: This field is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	parent, ok := s.channels[r.PathValue("channel")]
	if !ok {
		writeError(w, UnknownChannel())
		return
	}
	m, ok := s.messages[r.PathValue("message")]
	if !ok || m.ChannelID != parent.ID {
		writeError(w, Failure{Status: http.StatusNotFound, Code: 10008, Message: "Unknown Message"})
		return
	}
	if _, exists := s.channels[m.ID]; exists {
		writeError(w, Failure{Status: http.StatusBadRequest, Code: 160004, Message: "A thread has already been created for this message"})
		return
	}
	// The thread's id is the starter message's id.
	c := &Channel{ID: m.ID, Type: TypePublicThread, Name: body.Name, ParentID: parent.ID}
	s.channels[c.ID] = c
	s.notifyLocked()
	writeJSON(w, http.StatusCreated, channelJSON(c))
}

func (s *Server) startThread(w http.ResponseWriter, r *http.Request) {
	payload, files, err := readMessageBody(r)
	if err != nil {
		badRequest(w, err.Error())
		return
	}
	var body struct {
		Name        string          `json:"name"`
		Type        int             `json:"type"`
		AppliedTags []string        `json:"applied_tags"`
		Message     json.RawMessage `json:"message"`
	}
	if err := json.Unmarshal(payload, &body); err != nil || body.Name == "" {
		badRequest(w, "name: This field is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	parent, ok := s.channels[r.PathValue("channel")]
	if !ok {
		writeError(w, UnknownChannel())
		return
	}
	id := s.newIDLocked()
	if parent.Type != TypeForum {
		// Without a starter message and without a type, Discord makes a
		// private thread (discordgo omits a zero type).
		typ := body.Type
		if typ == 0 {
			typ = TypePrivateThread
		}
		c := &Channel{ID: id, Type: typ, Name: body.Name, ParentID: parent.ID}
		s.channels[id] = c
		s.notifyLocked()
		writeJSON(w, http.StatusCreated, channelJSON(c))
		return
	}
	if len(body.Message) == 0 || string(body.Message) == "null" {
		badRequest(w, "message: This field is required")
		return
	}
	if _, msg := validateMessage(body.Message, len(files)); msg != "" {
		badRequest(w, "message."+msg)
		return
	}
	if len(body.AppliedTags) > 0 {
		if msg := badTagsLocked(parent, body.AppliedTags); msg != "" {
			badRequest(w, msg)
			return
		}
	}
	c := &Channel{ID: id, Type: TypePublicThread, Name: body.Name, ParentID: parent.ID, AppliedTags: body.AppliedTags}
	s.channels[id] = c
	// The starter message of a forum post has the thread's id.
	m := s.storeLocked(id, id, body.Message, files)
	out := channelJSON(c)
	out["message"] = s.messageJSON(m)
	writeJSON(w, http.StatusCreated, out)
}

func (s *Server) reactionKey(r *http.Request) (Reaction, bool) {
	user := r.PathValue("user")
	if user == "@me" {
		user = BotUserID
	}
	key := Reaction{ChannelID: r.PathValue("channel"), MessageID: r.PathValue("message"), Emoji: r.PathValue("emoji"), UserID: user}
	m, ok := s.messages[key.MessageID]
	return key, ok && m.ChannelID == key.ChannelID
}

func (s *Server) addReaction(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key, ok := s.reactionKey(r)
	if !ok {
		writeError(w, Failure{Status: http.StatusNotFound, Code: 10008, Message: "Unknown Message"})
		return
	}
	s.reactions[key] = true
	s.notifyLocked()
	s.echoReactionLocked(key, false) // reactions.go
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) removeReaction(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	key, ok := s.reactionKey(r)
	if !ok {
		writeError(w, Failure{Status: http.StatusNotFound, Code: 10008, Message: "Unknown Message"})
		return
	}
	delete(s.reactions, key) // removing an absent reaction is a 204 too
	s.notifyLocked()
	s.echoReactionLocked(key, true) // reactions.go
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) callback(w http.ResponseWriter, r *http.Request) {
	payload, files, err := readMessageBody(r)
	if err != nil {
		badRequest(w, err.Error())
		return
	}
	var body struct {
		Type int `json:"type"`
		Data struct {
			Content string `json:"content"`
			Flags   int    `json:"flags"`
		} `json:"data"`
	}
	if err := json.Unmarshal(payload, &body); err != nil || body.Type == 0 {
		badRequest(w, "type: This field is required")
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	id, token := r.PathValue("id"), r.PathValue("token")
	for _, c := range s.callbacks {
		if c.InteractionID == id {
			writeError(w, Failure{Status: http.StatusBadRequest, Code: 40060, Message: "Interaction has already been acknowledged."})
			return
		}
	}
	c := Callback{InteractionID: id, Token: token, Type: body.Type, Content: body.Data.Content, Flags: body.Data.Flags, Payload: payload, Files: files}
	if msg := checkPicker(s.itypes[id], payload, &c); msg != "" {
		badRequest(w, msg)
		return
	}
	s.callbacks = append(s.callbacks, c)
	s.notifyLocked()
	w.WriteHeader(http.StatusNoContent)
}

func (s *Server) followup(w http.ResponseWriter, r *http.Request) {
	payload, files, err := readMessageBody(r)
	if err != nil {
		badRequest(w, err.Error())
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// Discord honours an interaction token for 15 minutes, for its own
	// application only; anything else is an invalid webhook token.
	issued, ok := s.tokens[r.PathValue("token")]
	if !ok || r.PathValue("app") != AppID || time.Since(issued) > InteractionTTL {
		writeError(w, Failure{Status: http.StatusUnauthorized, Code: 50027, Message: "Invalid Webhook Token"})
		return
	}
	m := Message{ID: s.newIDLocked(), ChannelID: "webhook:" + r.PathValue("token"), AuthorID: AppID, Payload: payload, Files: files}
	var f messageFields
	_ = json.Unmarshal(payload, &f)
	if f.Content != nil {
		m.Content = *f.Content
	}
	s.followups = append(s.followups, m)
	s.notifyLocked()
	if r.URL.Query().Get("wait") != "true" {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	writeJSON(w, http.StatusOK, s.messageJSON(&m))
}

func (s *Server) editOriginal(w http.ResponseWriter, r *http.Request) {
	s.followup(w, r)
}

func (s *Server) bulkCommands(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var cmds []map[string]any
	if err := json.Unmarshal(body, &cmds); err != nil {
		badRequest(w, err.Error())
		return
	}
	if problem := checkCommands(cmds); problem != "" {
		badRequest(w, problem)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	guild, app := r.PathValue("guild"), r.PathValue("app")
	for _, c := range cmds {
		c["id"] = s.newIDLocked()
		c["application_id"] = app
		c["guild_id"] = guild
		c["version"] = s.newIDLocked()
		if c["type"] == nil {
			c["type"] = 1
		}
	}
	s.commands[guild] = body
	s.notifyLocked()
	writeJSON(w, http.StatusOK, cmds)
}

func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	s.record(Request{Method: r.Method, Path: r.URL.Path, Route: "GET /attachments"})
	s.mu.Lock()
	data, ok := s.files[r.PathValue("path")]
	s.mu.Unlock()
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "application/octet-stream")
	_, _ = w.Write(data)
}
