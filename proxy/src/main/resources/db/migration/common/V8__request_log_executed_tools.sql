-- Groq's built-in tools (browser_search, code_interpreter) run on Groq's side and are reported in the
-- answer's message.executed_tools (issue #12): how many ran for a request. NULL when no answer was relayed.
ALTER TABLE request_log ADD COLUMN executed_tools INT;
