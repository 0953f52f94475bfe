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
cli-status-till = Till: { $name }
cli-status-pending = Waiting to sync: { $count } operations ({ $sales } sales)
cli-status-oldest = Oldest unsynced sale: { $minutes } minutes ago
cli-status-sales = Sales recorded: { $count }
cli-status-price = Price of 18k gold: { $price }
cli-journal-ok = The sales journal is intact: { $count } entries.
cli-item-status = Item "{ $tag }" is now: { $status }
cli-owner-set = The owner of this till is { $name }; their PIN is set.
cli-owner-show = Owner of this till: { $name }
cli-owner-none = No owner has been set for this till yet (`zargar owner set`).
cli-resubmit-preview = What is due goes from { $old } to { $new }; the difference: { $difference }.
