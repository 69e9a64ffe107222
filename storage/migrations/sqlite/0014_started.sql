-- Agent-started conversations log a `started` event, which reports read
-- (storage.reportEventKinds): it marks the conversation for the report
-- summary like the other kinds they read.
DROP TRIGGER events_report_dirty;
CREATE TRIGGER events_report_dirty AFTER INSERT ON events FOR EACH ROW
WHEN NEW.kind IN ('routed', 'started', 'received', 'replied', 'claimed', 'unclaimed', 'assigned', 'taken_over', 'transferred', 'resolved', 'reopened')
BEGIN
    INSERT INTO report_dirty (conversation_id) VALUES (NEW.conversation_id);
END;
