package discord

import (
	"cmp"
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/bwmarrin/discordgo"

	"github.com/switchboard/switchboard/bridge"
)

// The gateway hands each event over once: a message that could not be
// stored (the database was down) or that came while no replica held the
// gateway (a failover, a session that could not be resumed) is not sent
// again. Recovery fetches such messages over REST
// (GET /channels/{thread}/messages?after={id}&limit=100) from each
// thread's high-water mark, the newest message id stored, which lives in
// the database so the replica that takes the gateway over continues from
// it. Replayed messages go through handleMessage like live ones; the
// bridge drops a message it already has (same message id), so fetching
// one again is harmless.
//
// A thread is "lagging" from the moment one of its messages is not
// stored (or, after READY or RESUMED, when it is among the recent
// threads) until a fetch has stored everything after its mark. While it
// lags, its live messages are left to the fetch, which stores them in
// the order they were written. When a lagging thread's messages still
// cannot be stored after RecoverFor, their authors are told in the thread
// to send them again.

// Watermarks is what recovery needs from storage.
type Watermarks interface {
	// Advance records messageID as stored in thread threadID (a mark
	// only moves forward).
	Advance(ctx context.Context, threadID, messageID string) error
	// Recent lists the threads worth checking after a new or resumed
	// gateway session: those of open conversations with recent activity,
	// bounded in number.
	Recent(ctx context.Context) ([]ThreadMark, error)
}

// ThreadMark is a conversation thread and its high-water mark.
type ThreadMark struct {
	ParentID string // the team's channel
	ThreadID string
	// After is the newest message id stored; "" when none was, and the
	// thread's messages are then fetched from its start.
	After string
}

// DefaultRecoverFor is how long messages that could not be stored are
// tried again before their authors are told.
const DefaultRecoverFor = 10 * time.Minute

// Recovery pacing: a pass over the lagging threads after each failure
// waits recoverMinWait, doubling up to recoverMaxWait.
const (
	recoverMinWait = 500 * time.Millisecond
	recoverMaxWait = 30 * time.Second
	fetchPage      = 100 // Discord's maximum
)

type recovery struct {
	mu      sync.Mutex
	threads map[string]*lagging // thread id → state
	// catchUp says the recent threads must be listed again (READY or
	// RESUMED came while the database could not list them).
	catchUp bool
	// told are messages whose authors were told to send them again, and
	// when: never stored later, or the customer would get both. Kept for
	// toldKeep (see tellLocked).
	told map[string]time.Time
	wake chan struct{}
}

type lagging struct {
	parent string
	after  string    // fetch the messages after this id
	since  time.Time // when the thread started lagging
	// deferred counts live messages left to the fetch; a pass that saw
	// the count change fetches again before the thread stops lagging.
	deferred int
	// failed are the messages (id → author) that could not be stored.
	failed map[string]string
}

func (r *recovery) init() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.threads, r.told, r.catchUp = map[string]*lagging{}, map[string]time.Time{}, false
	r.wake = make(chan struct{}, 1)
}

// toldKeep is how long a message whose author was told to send it again
// is remembered. Give-up moves the thread's mark past it, so only a fetch
// from an older mark (the mark could not be written, or a catch-up of a
// thread that started lagging before) can meet it again, within a
// recovery horizon (RecoverFor, minutes) of the give-up; a day is ample,
// and bounds the set by the day's give-ups.
const toldKeep = 24 * time.Hour

// tellLocked records that id's author was told at now and forgets what
// was told over toldKeep before; r.mu must be held.
func (r *recovery) tellLocked(id string, now time.Time) {
	for old, at := range r.told {
		if now.Sub(at) > toldKeep {
			delete(r.told, old)
		}
	}
	r.told[id] = now
}

// toldLocked reports whether id's author was told to send it again;
// r.mu must be held.
func (r *recovery) toldLocked(id string) bool {
	_, ok := r.told[id]
	return ok
}

func (r *recovery) kick() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// lagLocked marks thread lagging from after (keeping an earlier start);
// r.mu must be held.
func (r *recovery) lagLocked(parent, thread, after string) *lagging {
	l, ok := r.threads[thread]
	if !ok {
		l = &lagging{parent: parent, after: after, since: time.Now(), failed: map[string]string{}}
		r.threads[thread] = l
		return l
	}
	if snowflakeLess(after, l.after) {
		l.after = after
	}
	if l.parent == "" {
		l.parent = parent
	}
	return l
}

// deferLive reports whether a live message in channelID is left to the
// fetch: its thread lags, or a catch-up is due and could not tell yet
// which threads lag (the message's thread then lags from it).
func (r *recovery) deferLive(channelID, messageID string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if l, ok := r.threads[channelID]; ok {
		l.deferred++
		return true
	}
	if r.catchUp {
		r.lagLocked("", channelID, before(messageID)).deferred++
		return true
	}
	return false
}

// onMessageCreate stores a live message, or leaves it to recovery.
func (g *Gateway) onMessageCreate(s *discordgo.Session, m *discordgo.MessageCreate) {
	if !g.personal(m.Message) {
		return
	}
	g.rec.mu.Lock()
	told := g.rec.toldLocked(m.ID)
	g.rec.mu.Unlock()
	if told {
		// Fetched by a give-up before its event came: its author was
		// told to send it again, so storing it would send it twice.
		return
	}
	if g.Marks != nil && g.rec.deferLive(m.ChannelID, m.ID) {
		g.rec.kick()
		return
	}
	stored, err := g.handleMessage(s, m.Message, 3)
	switch {
	case err != nil && g.Marks != nil:
		g.rec.mu.Lock()
		parent, _ := g.parents.Load(m.ChannelID)
		p, _ := parent.(string)
		g.rec.lagLocked(p, m.ChannelID, before(m.ID)).failed[m.ID] = m.Author.ID
		g.rec.mu.Unlock()
		g.rec.kick()
	case stored && g.Marks != nil:
		ctx, cancel := context.WithTimeout(g.ctx, g.storeTimeout())
		defer cancel()
		if err := g.Marks.Advance(ctx, m.ChannelID, m.ID); err != nil {
			// Harmless: the next catch-up fetches from an older mark.
			g.Log.Warn("discord watermark not advanced", "thread", m.ChannelID, "err", err)
		}
	}
}

func (g *Gateway) onResumed(s *discordgo.Session, _ *discordgo.Resumed) {
	g.Log.Info("discord gateway resumed")
	// Discord replays what a resumed session missed, but only for a
	// while: fetch what it may not have replayed.
	g.catchUp()
}

// catchUp makes the recent threads lag from their marks. It runs on the
// gateway's reading goroutine, before the next event is handled, so no
// live message can overtake the fetch of its thread.
func (g *Gateway) catchUp() {
	if g.Marks == nil {
		return
	}
	ctx, cancel := context.WithTimeout(g.ctx, g.storeTimeout())
	marks, err := g.Marks.Recent(ctx)
	cancel()
	g.rec.mu.Lock()
	if err != nil {
		g.Log.Warn("discord catch-up: recent threads unknown; trying again", "err", err)
		g.rec.catchUp = true
	} else {
		g.lagMarksLocked(marks)
	}
	g.rec.mu.Unlock()
	g.rec.kick()
}

func (g *Gateway) lagMarksLocked(marks []ThreadMark) {
	for _, m := range marks {
		after := m.After
		if after == "" {
			// Nothing stored yet: the thread's id is older than any of
			// its messages (a forum post's starter message has the id
			// itself, and is our card).
			after = m.ThreadID
		}
		g.parents.LoadOrStore(m.ThreadID, m.ParentID)
		g.rec.lagLocked(m.ParentID, m.ThreadID, after)
	}
	g.rec.catchUp = false
}

// recoverLoop runs recovery passes when woken, and again with a growing
// pause while threads still lag.
func (g *Gateway) recoverLoop(s *discordgo.Session) {
	defer g.wg.Done()
	wait := recoverMinWait
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	for {
		select {
		case <-g.ctx.Done():
			return
		case <-g.rec.wake:
		case <-timer.C:
		}
		if g.recoverPass(s) {
			wait = recoverMinWait
			continue
		}
		timer.Reset(wait)
		wait = min(wait*2, recoverMaxWait)
	}
}

// recoverPass lists the recent threads if a catch-up is due, then fetches
// and stores each lagging thread's messages. It reports whether nothing
// lags any more.
func (g *Gateway) recoverPass(s *discordgo.Session) bool {
	g.rec.mu.Lock()
	due := g.rec.catchUp
	g.rec.mu.Unlock()
	if due {
		ctx, cancel := context.WithTimeout(g.ctx, g.storeTimeout())
		marks, err := g.Marks.Recent(ctx)
		cancel()
		if err != nil {
			g.Log.Warn("discord catch-up: recent threads still unknown", "err", err)
		} else {
			g.rec.mu.Lock()
			g.lagMarksLocked(marks)
			g.rec.mu.Unlock()
		}
	}
	g.rec.mu.Lock()
	threads := make([]string, 0, len(g.rec.threads))
	for id := range g.rec.threads {
		threads = append(threads, id)
	}
	g.rec.mu.Unlock()
	slices.SortFunc(threads, snowflakeCmp)
	for _, id := range threads {
		if g.ctx.Err() != nil {
			return false
		}
		g.replay(s, id)
	}
	g.rec.mu.Lock()
	defer g.rec.mu.Unlock()
	return len(g.rec.threads) == 0 && !g.rec.catchUp
}

// replay fetches thread's messages after its start, oldest first, and
// stores them until one fails. A thread whose every message is stored
// stops lagging, and its mark moves to the newest one.
func (g *Gateway) replay(s *discordgo.Session, thread string) {
	for {
		g.rec.mu.Lock()
		l, ok := g.rec.threads[thread]
		if !ok {
			g.rec.mu.Unlock()
			return
		}
		after, deferred, since := l.after, l.deferred, l.since
		g.rec.mu.Unlock()

		last, done, pending, err := g.replayFrom(s, thread, after)
		g.rec.mu.Lock()
		l.after = last
		for id, author := range pending {
			l.failed[id] = author
		}
		if err == nil && done && l.deferred == deferred {
			delete(g.rec.threads, thread)
			g.rec.mu.Unlock()
			if last != after {
				ctx, cancel := context.WithTimeout(g.ctx, g.storeTimeout())
				if err := g.Marks.Advance(ctx, thread, last); err != nil {
					g.Log.Warn("discord watermark not advanced after catch-up", "thread", thread, "err", err)
				}
				cancel()
			}
			return
		}
		g.rec.mu.Unlock()
		if err == nil && done {
			continue // live messages came meanwhile: fetch them too
		}
		if err != nil && (restCode(err) == codeUnknownChannel || restStatus(err) == http.StatusForbidden) {
			g.Log.Warn("discord catch-up: thread gone or hidden; giving it up", "thread", thread, "err", err)
			g.rec.mu.Lock()
			delete(g.rec.threads, thread)
			g.rec.mu.Unlock()
			return
		}
		if time.Since(since) >= g.recoverFor() {
			g.giveUp(s, thread)
		}
		return
	}
}

// replayFrom stores the messages after after, page by page. last is the
// newest message handled (after, if none); done says every message was;
// pending are the messages of people fetched but not stored.
func (g *Gateway) replayFrom(s *discordgo.Session, thread, after string) (last string, done bool, pending map[string]string, err error) {
	last, pending = after, map[string]string{}
	for {
		ctx, cancel := context.WithTimeout(g.ctx, g.storeTimeout())
		page, err := s.ChannelMessages(thread, fetchPage, "", last, "", discordgo.WithContext(ctx))
		cancel()
		if err != nil {
			g.Log.Warn("discord catch-up: messages not fetched", "thread", thread, "err", err)
			return last, false, pending, err
		}
		// Discord answers newest first.
		slices.SortFunc(page, func(a, b *discordgo.Message) int { return snowflakeCmp(a.ID, b.ID) })
		for i, m := range page {
			g.rec.mu.Lock()
			told := g.rec.toldLocked(m.ID)
			g.rec.mu.Unlock()
			if !told {
				if _, err := g.handleMessage(s, m, 1); err != nil {
					for _, rest := range page[i:] {
						if g.personal(rest) {
							pending[rest.ID] = rest.Author.ID
						}
					}
					return last, false, pending, nil
				}
			}
			last = m.ID
		}
		if len(page) < fetchPage {
			return last, true, pending, nil
		}
	}
}

// giveUp tells the authors of thread's messages that could not be stored
// to send them again, once each, and stops trying: storing them later
// would send the customer both.
//
// The failing fetch stopped at the first message it could not store, and
// live messages written since were left to it: the rest of the thread is
// fetched now, while it still lags (so no live message is stored
// meanwhile), and their authors are told too. When that fetch fails, the
// authors known so far are told.
func (g *Gateway) giveUp(s *discordgo.Session, thread string) {
	var l *lagging
	for {
		g.rec.mu.Lock()
		var ok bool
		l, ok = g.rec.threads[thread]
		if !ok {
			g.rec.mu.Unlock()
			return
		}
		after, deferred := l.after, l.deferred
		g.rec.mu.Unlock()
		rest, last, err := g.fetchRest(s, thread, after)
		g.rec.mu.Lock()
		for id, author := range rest {
			l.failed[id] = author
		}
		l.after = last
		if err != nil || l.deferred == deferred {
			break // g.rec.mu stays held
		}
		g.rec.mu.Unlock() // live messages came meanwhile: fetch them too
	}
	delete(g.rec.threads, thread)
	authors := map[string]bool{}
	newest := l.after
	now := time.Now()
	for id, author := range l.failed {
		g.rec.tellLocked(id, now)
		authors[author] = true
		if snowflakeLess(newest, id) {
			newest = id
		}
	}
	parent := l.parent
	g.rec.mu.Unlock()
	g.Log.Error("discord messages not stored for good; telling their authors", "thread", thread, "messages", len(l.failed))
	for author := range authors {
		lang := "en"
		if g.Language != nil {
			lang = g.Language(parent)
		}
		text := bridge.Text(lang, "tell.not_stored", bridge.MentionToken(author))
		body, ids := RenderMentions(ToDiscord(text))
		ctx, cancel := context.WithTimeout(g.ctx, g.storeTimeout())
		_, err := s.ChannelMessageSendComplex(thread, &discordgo.MessageSend{
			Content: truncate(body, MaxMessageChars), AllowedMentions: onlyUsers(ids),
		}, discordgo.WithContext(ctx))
		cancel()
		if err != nil {
			g.Log.Error("discord not-stored notice not posted", "thread", thread, "err", err)
		}
	}
	// Best effort: a later catch-up on another replica starts past them.
	ctx, cancel := context.WithTimeout(g.ctx, g.storeTimeout())
	defer cancel()
	_ = g.Marks.Advance(ctx, thread, newest)
}

// fetchRest lists the people's messages after after, to the thread's end,
// leaving out those whose authors were told already. last is the newest
// message fetched (after, if none).
func (g *Gateway) fetchRest(s *discordgo.Session, thread, after string) (rest map[string]string, last string, err error) {
	rest, last = map[string]string{}, after
	for {
		ctx, cancel := context.WithTimeout(g.ctx, g.storeTimeout())
		page, err := s.ChannelMessages(thread, fetchPage, "", last, "", discordgo.WithContext(ctx))
		cancel()
		if err != nil {
			g.Log.Warn("discord give-up: the thread's last messages not fetched; telling the authors known", "thread", thread, "err", err)
			return rest, last, err
		}
		g.rec.mu.Lock()
		for _, m := range page {
			if g.personal(m) && !g.rec.toldLocked(m.ID) {
				rest[m.ID] = m.Author.ID
			}
			if snowflakeLess(last, m.ID) {
				last = m.ID
			}
		}
		g.rec.mu.Unlock()
		if len(page) < fetchPage {
			return rest, last, nil
		}
	}
}

func (g *Gateway) recoverFor() time.Duration {
	if g.RecoverFor > 0 {
		return g.RecoverFor
	}
	return DefaultRecoverFor
}

// rolesOf returns the roles of m's author in the guild of m's thread, for
// messages fetched over REST (which carry no member). An author who is not
// in that guild has none; an error says the roles are unknown.
func (g *Gateway) rolesOf(s *discordgo.Session, m *discordgo.Message) ([]string, error) {
	guild, err := g.guildOf(s, m)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(g.ctx, g.storeTimeout())
	defer cancel()
	member, err := s.GuildMember(guild, m.Author.ID, discordgo.WithContext(ctx))
	if restCode(err) == codeUnknownMember {
		return nil, nil // left the guild, or never in it
	}
	if err != nil {
		return nil, err
	}
	return member.Roles, nil
}

// guildOf returns the guild of m's channel: the one the message names
// (live events do) or the channel's, asked of Discord once per channel
// (REST messages name none). The bot may be in several guilds, so the
// first configured one is not necessarily it.
func (g *Gateway) guildOf(s *discordgo.Session, m *discordgo.Message) (string, error) {
	if m.GuildID != "" {
		return m.GuildID, nil
	}
	if id, ok := g.guilds.Load(m.ChannelID); ok {
		return id.(string), nil
	}
	ctx, cancel := context.WithTimeout(g.ctx, g.storeTimeout())
	defer cancel()
	ch, err := s.Channel(m.ChannelID, discordgo.WithContext(ctx))
	if err != nil {
		return "", err
	}
	if ch.GuildID == "" {
		return "", errors.New("discord channel " + m.ChannelID + " is in no guild")
	}
	g.guilds.Store(m.ChannelID, ch.GuildID)
	return ch.GuildID, nil
}

// before is the id just before id, so "after before(id)" includes id.
func before(id string) string {
	n, err := strconv.ParseUint(id, 10, 64)
	if err != nil || n == 0 {
		return id
	}
	return strconv.FormatUint(n-1, 10)
}

// snowflakeCmp orders decimal snowflakes by value (shorter is smaller).
func snowflakeCmp(a, b string) int {
	return cmp.Or(cmp.Compare(len(a), len(b)), cmp.Compare(a, b))
}

func snowflakeLess(a, b string) bool { return snowflakeCmp(a, b) < 0 }

// restStatus is the HTTP status of a failed REST call, or 0.
func restStatus(err error) int {
	var re *discordgo.RESTError
	if errors.As(err, &re) && re.Response != nil {
		return re.Response.StatusCode
	}
	return 0
}
