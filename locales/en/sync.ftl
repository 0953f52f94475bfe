# Sync with the shop's server: its states, its errors, conflicts and how the
# owner settles them. Conflict ids are the server's message_key values.

sync-engine-not-enrolled = not linked to a server
sync-engine-idle = synced
sync-engine-syncing = syncing
sync-engine-retrying = retrying
sync-engine-stopped = stopped
sync-state-rejected = refused by the server
sync-state-voided = voided

error-sync-not-enrolled = This till is not linked to the shop's server yet. Enrol it with a code from the owner.
error-sync-bad-server-url = "{ $url }" is not a server address; use e.g. https://sync.example.ir
error-sync-offline = The server cannot be reached. Sales are saved on this till and will be sent when the connection is back.
error-sync-server-error = The server had a problem (code { $status }). Sales are saved here; sync will try again.
error-sync-slow-down = The server is busy (code { $status }). Sync will try again shortly.
error-sync-unauthorized = The server no longer accepts this till. Enrol it again with a new code; its data is kept.
error-sync-revoked = This till was disabled by the shop. Its data is kept here and can be exported.
error-sync-upgrade-required = The server needs a newer version of this app. Unsent sales are kept; update the app.
error-sync-malformed = The server refused the data as malformed. Support has been told; sales are kept.
error-sync-op-too-large = Operation { $seq } is larger than the server accepts. Call support; nothing is lost.
error-sync-outbox-diverged = This till's records disagree with the server from operation { $seq } on (was it restored from a backup?). Call support; nothing is lost.
error-sync-enroll-refused = The enrolment code was not accepted. Codes work once and for 15 minutes; ask the owner for a new one.
error-sync-protocol = The server gave an unexpected answer. Sync will try again; support has the details.

error-other-shop = This till still has { $unsent } unsent operations for its shop. Sync them before moving it to another shop.
error-resolver-required = Enter the name of the person who decides.
error-reason-required = Accepting needs a reason.
error-conflict-not-found = No conflict for "{ $op }".
error-conflict-closed = This conflict is already settled.
error-resolution-pending = A decision on this conflict is already on its way to the server.
error-not-an-option = "{ $resolution }" is not a way to settle "{ $kind }".
error-resubmit-elsewhere = Only the till that made this sale can edit and resubmit it.

conflict-item-already-sold = Sold by another till first
conflict-item-unknown = Item not known to the server
conflict-price-out-of-tolerance = Gold price outside the shop's tolerance
conflict-customer-duplicate = Customer already registered
conflict-item-tag-taken = Tag used by another piece
conflict-journal-broken = Sales journal does not link
conflict-validation-failed = The server's check disagrees
conflict-discount-over-limit = Discount past the seller's limit, not approved by a manager
conflict-balance-overdrawn = A customer's account spent past its credit limit
conflict-rejected = Refused by the server

resolution-accept = accept
resolution-void = void
resolution-resubmit = edit and resubmit
resolution-retry = retry

cli-enroll-done = This till is linked to "{ $shop }".
cli-sync-pushing = Sending: { $done } of { $total }
cli-sync-pulling = Receiving: { $count } changes
cli-sync-done = Synced: { $applied } accepted, { $conflicts } in conflict, { $pulled } changes received.
cli-sync-watch = { $state } · pending { $pending } · conflicts { $conflicts }
cli-conflicts-none = No open conflicts.
cli-conflict-open = open
cli-conflict-settled = settled
cli-conflict-local-sale = This till's sale no. { $number }: { $tags }
cli-conflict-server-item = On the server: { $tag }
cli-conflict-options = Options: { $options }
cli-conflict-resolved = Settled: { $resolution } by { $by }
cli-conflict-refused = The server refused the last decision: { $reason }
cli-conflict-queued = The decision is saved and will be sent with the next sync.
cli-simulate-done = { $count } simulated sales recorded.
cli-status-shop = Shop: { $shop } · last synced { $minutes } minutes ago
cli-status-shop-never = Shop: { $shop } · not synced yet
cli-status-conflicts = Open conflicts: { $count } (zargar conflicts list)
