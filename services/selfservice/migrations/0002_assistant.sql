-- The assistant that answers and acts: messages (sealed), dialogue outcomes for the figures,
-- leave requests it follows up, handover tickets and the company handbook.
ALTER TABLE conversations ADD COLUMN status TEXT NOT NULL DEFAULT 'open';
ALTER TABLE conversations ADD COLUMN first_message_at BIGINT;
ALTER TABLE conversations ADD COLUMN resolved_at BIGINT;
ALTER TABLE conversations ADD COLUMN handed_over BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN seen_seq BIGINT NOT NULL DEFAULT 0;
ALTER TABLE conversations ADD COLUMN last_at BIGINT NOT NULL DEFAULT 0;
UPDATE conversations SET last_at = opened_at;

-- Every message of a conversation; the text is sealed under the employee's key.
CREATE TABLE IF NOT EXISTS messages (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    seq BIGINT NOT NULL,
    author TEXT NOT NULL,
    text_sealed TEXT NOT NULL,
    intent TEXT NOT NULL DEFAULT '',
    confidence DOUBLE PRECISION NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS messages_conversation ON messages (conversation_id, seq);
CREATE INDEX IF NOT EXISTS messages_employee ON messages (employee_id);
CREATE INDEX IF NOT EXISTS messages_created ON messages (created_at);

-- Leave requested through a conversation, whose decision is reported back in it.
CREATE TABLE IF NOT EXISTS leave_follow_ups (
    request_id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    start_date TEXT NOT NULL,
    end_date TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS leave_follow_ups_conversation ON leave_follow_ups (conversation_id);
CREATE INDEX IF NOT EXISTS leave_follow_ups_employee ON leave_follow_ups (employee_id);

-- Conversations handed over to HR.
CREATE TABLE IF NOT EXISTS tickets (
    id TEXT PRIMARY KEY,
    conversation_id TEXT NOT NULL,
    employee_id TEXT NOT NULL,
    language TEXT NOT NULL,
    reason TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    answered_at BIGINT,
    answered_by TEXT,
    answer_sealed TEXT
);
CREATE INDEX IF NOT EXISTS tickets_status ON tickets (status, created_at);
CREATE INDEX IF NOT EXISTS tickets_employee ON tickets (employee_id);
CREATE INDEX IF NOT EXISTS tickets_conversation ON tickets (conversation_id);

-- The company handbook, per language, split into passages under their headings.
CREATE TABLE IF NOT EXISTS handbook_documents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    language TEXT NOT NULL,
    format TEXT NOT NULL,
    passages BIGINT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS handbook_documents_title ON handbook_documents (language, title);
CREATE TABLE IF NOT EXISTS handbook_passages (
    id TEXT PRIMARY KEY,
    document_id TEXT NOT NULL,
    language TEXT NOT NULL,
    position BIGINT NOT NULL,
    heading TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS handbook_passages_document ON handbook_passages (document_id);
CREATE INDEX IF NOT EXISTS handbook_passages_language ON handbook_passages (language);

-- Question–answer pairs HR adds.
CREATE TABLE IF NOT EXISTS faqs (
    id TEXT PRIMARY KEY,
    language TEXT NOT NULL,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    added_by TEXT NOT NULL,
    added_at BIGINT NOT NULL
);
CREATE INDEX IF NOT EXISTS faqs_language ON faqs (language);

-- Policy questions the knowledge base could not answer, queued for HR; sealed under the asker's key.
CREATE TABLE IF NOT EXISTS unanswered_questions (
    id TEXT PRIMARY KEY,
    employee_id TEXT NOT NULL,
    conversation_id TEXT NOT NULL,
    language TEXT NOT NULL,
    text_sealed TEXT NOT NULL,
    asked_at BIGINT NOT NULL,
    answered_by_faq TEXT
);
CREATE INDEX IF NOT EXISTS unanswered_questions_open ON unanswered_questions (answered_by_faq, asked_at);
CREATE INDEX IF NOT EXISTS unanswered_questions_employee ON unanswered_questions (employee_id);
