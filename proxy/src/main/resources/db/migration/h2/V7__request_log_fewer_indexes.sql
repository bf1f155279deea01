-- Each request-log insert updated four B-trees; the (status, ts) index served only the status filter of the
-- raw log, which the time index serves well enough (a filter by status is always bounded by a time range in
-- practice, and usage reports read the daily roll-up). One index fewer is a fifth less work per row.
DROP INDEX request_log_status_ts;
