# Messages of the headless till, `zargar`.

cli-init-done = Till "{ $name }" is set up.
cli-price-set = Today's price saved: { $price } per gram of 18k gold.
cli-price-show = Price of one gram of 18k gold: { $price } (set { $date } at { $time })
cli-price-mazaneh = Mesghal quote: { $mazaneh }
cli-warning-stale-price = Warning: the gold price was set { $age } hours ago (more than { $limit } hours). Update today's price.
cli-item-added = Item "{ $tag }" added.
cli-items-imported = { $count } items imported.
cli-file-unreadable = Cannot read the file "{ $file }".
cli-file-unwritable = Cannot write the file "{ $file }" (it may exist already).
cli-customer-added = Customer "{ $name }" added (id { $id }).
cli-sale-saved = Sale no. { $number } saved.
cli-backup-done = Backup saved to "{ $file }".
cli-cleanup-done = Removed { $removed } sent ops and dropped the body of { $compacted } sent sales and returns; { $kept } sent ops are kept whole (retention: { $days } days).
cli-status-till = Till: { $name }
cli-status-pending = Waiting to sync: { $count } operations ({ $sales } sales)
cli-status-oldest = Oldest unsynced sale: { $minutes } minutes ago
cli-status-sales = Sales recorded: { $count }
cli-status-price = Price of 18k gold: { $price }
cli-journal-ok = The sales journal is intact: { $count } entries.
cli-item-status = Item "{ $tag }" is now: { $status }
cli-owner-set = The owner of this till is { $name }; their PIN is set.
cli-people-saved = { $name } is saved, and goes to every till of the shop.
cli-people-left = left
cli-owner-show = Owner of this till: { $name }
cli-owner-none = No owner has been set for this till yet (`zargar owner set`).
cli-resubmit-preview = What is due goes from { $old } to { $new }; the difference: { $difference }.

# zargar verify-bundle: a published file against its minisign signature.
cli-bundle-ok = "{ $file }" matches its signature.
cli-bundle-signature = Signature: { $signature }
cli-bundle-key-id = Key id: { $key_id }
cli-bundle-trusted-comment = Trusted comment: { $comment }
cli-bundle-altered = "{ $file }" does NOT match its signature: the file was altered, or the signature does not match it. Do not install it.
cli-bundle-other-key = "{ $file }" does NOT match its signature: the signature was made by another key (key id { $found }, expected { $expected }). Do not install it.
cli-bundle-no-signature = "{ $file }" is NOT verified: no signature file found (looked for { $looked }). Do not install it.
cli-bundle-signature-unreadable = "{ $file }" is NOT verified: the signature "{ $signature }" cannot be read (it is not a minisign signature). Do not install it.
cli-bundle-key-unreadable = "{ $file }" is NOT verified: the public key "{ $key }" is unreadable (no such file, or not a minisign public key). Do not install it.
cli-bundle-key-secret = "{ $file }" is NOT verified: "{ $key }" is a secret key, not the public key (give the .pub file; never hand out the secret key). Do not install it.
cli-bundle-sum-ok = { $name }: matches SHA256SUMS
cli-bundle-sum-differs = { $name }: DIFFERS from SHA256SUMS (altered or damaged; do not install it)
cli-bundle-sum-unreadable = { $name }: cannot be read; NOT verified
cli-bundle-sum-absent = { $name }: not in this folder; not checked
cli-bundle-sum-outside = { $name }: outside this folder; not checked
cli-bundle-sums-failed = "{ $file }" matches its signature, but { $count } of the files it lists do NOT match it: { $names }. Do not install them.
cli-bundle-sums-malformed = "{ $file }" matches its signature, but its line { $line } is not in the sha256sum format (HEX  NAME); the files it lists are NOT verified.
cli-preset-valid = The preset { $file } is valid; a new till takes:
cli-preset-code-unreadable = Warning: the enrolment code file is missing or empty for this user.
cli-preset-invalid = The preset { $path } is not valid: line { $line }: { $problem }

# Printers: zargar printer test|status ADDRESS
cli-printer-test-printed = A test page was printed on { $printer }: { $width } dots wide ({ $mm } mm), { $bytes } bytes sent.
cli-printer-name = Printer: { $printer }
cli-printer-online = State: online
cli-printer-offline = State: offline (cover open, out of paper, or an error)
cli-printer-online-unknown = State: not reported (the printer did not answer, or cannot be asked over this connection)
cli-printer-paper-present = Paper: loaded
cli-printer-paper-near-end = Paper: running low; have a new roll ready
cli-printer-paper-out = Paper: out
cli-printer-paper-unknown = Paper: not reported
