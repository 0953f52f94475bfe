# The inventory, gold price, day's sales, owner's settings and conflicts screens.
# Values (numbers, money, dates) arrive formatted; don't use NUMBER() here.

## Shared

owner-percent = { $value }%
owner-save = Save
owner-saved = Saved.
owner-cancel = Cancel
owner-loading = Loading…
owner-refresh = Refresh
owner-unknown = unknown

## Inventory

inventory-title = Inventory
inventory-search-label = Search
inventory-search-placeholder = Tag, barcode or name
inventory-status-label = Status
inventory-status-all = All
inventory-list-label = Items
inventory-col-tag = Tag
inventory-col-barcode = Barcode
inventory-col-name = Name
inventory-col-category = Category
inventory-col-weight = Weight (g)
inventory-col-purity = Purity
inventory-col-wage = Wage
inventory-col-stones = Stones ({ $unit })
inventory-col-status = Status
inventory-col-updated = Last changed
inventory-col-id = Id
inventory-count = Count: { $count }
inventory-limit = Only the first { $limit } items are shown; narrow the search.
inventory-empty = No items match.
inventory-detail-title = Item details
inventory-detail-hint = Select a row to see its details (arrow keys and Enter).
inventory-keys = ↑ ↓ move · Enter details · E edit · Space mark for labels · L labels · Insert new piece · Esc back to search

## Gold price

goldprice-title = Gold price
goldprice-current = Price of one gram of 18k gold
goldprice-mazaneh = Mesghal quote (mazaneh)
goldprice-set-at = Set at
goldprice-origin = Source
goldprice-origin-till = This till
goldprice-origin-server = The shop's server
goldprice-form-title = Set today's price
goldprice-by = Quoted as
goldprice-by-gram = Per gram of 18k gold
goldprice-by-mesghal = Mesghal quote (mazaneh)
goldprice-amount = Amount ({ $unit })
goldprice-amount-hint-gram = Enter the price of one gram of 18k gold.
goldprice-amount-hint-mesghal = Enter the market's quote for one mesghal; the price per gram of 18k is worked out from it.
goldprice-submit = Set price
goldprice-saved = The new price is set.
goldprice-history = Price history
goldprice-history-empty = No price has been set yet.
goldprice-scope-shop = The shop's price
goldprice-by-feed = from the live price feed
goldprice-scope-till = This till only
goldprice-old-gold = Old gold bought at (per gram of 18k)
goldprice-old-gold-spread = { $percent }% below the day's price
goldprice-preview-per-gram = That is, per gram of 18k: { $price }
goldprice-preview-per-mesghal = That is, per mesghal: { $price }
goldprice-bounds = The shop's floor and ceiling: { $floor } to { $ceiling }
goldprice-confirm-title = Confirm the new price
goldprice-step-warning = The new price is { $change }% from the last one (more than { $step }%). If the zeros are right, confirm with the owner's PIN.
goldprice-per-gram = Per gram of 18k
goldprice-per-mesghal = Per mesghal
goldprice-old = Previous price
goldprice-new = New price
goldprice-pin = Owner's PIN ({ $owner })
goldprice-confirm-save = Set the shop's price
goldprice-cancel = Cancel
goldprice-col-when = When

## Sales of a day

salesday-title = Sales of the day
salesday-prev = Previous day
salesday-next = Next day
salesday-today = Today
salesday-list-label = The day's invoices
salesday-col-kind = Kind
salesday-of-invoice = invoice { $invoice }
salesday-col-invoice = Invoice no.
salesday-col-time = Time
salesday-col-customer = Customer
salesday-col-items = Items
salesday-col-weight = Weight (g)
salesday-col-total = Total ({ $unit })
salesday-col-sync = Sync
salesday-empty = No sales on this day.
salesday-totals = Day totals
salesday-count = Invoices
salesday-items = Items
salesday-weight = Total weight
salesday-gold = Gold value
salesday-wage = Wage
salesday-profit = Seller's profit
salesday-vat = VAT
salesday-total = Total
salesday-export-title = Save the day's sales (CSV)
salesday-export-filter = CSV file (Excel)
salesday-export = Export CSV
salesday-exported = Saved to:
salesday-back = Back to the list
salesday-keys = PageUp previous day · PageDown next day · Home today · ↑ ↓ and Enter open an invoice · R return or exchange

## Owner's PIN

pin-setup-title = Set the owner's PIN
pin-setup-intro = Settings, the server link and settling conflicts open only with the owner's PIN. Choose a PIN of 4 to 8 digits.
pin-owner-name = Owner's name
pin-new = New PIN
pin-confirm = Repeat the new PIN
pin-current = Current PIN
pin-save = Save PIN
first-run-title = Setting up the till: the shop's owner
first-run-intro = This is the first start of till “{ $till }”. Before the first sale, the shop's owner chooses their name and PIN.
first-run-save = Save and start
pin-mismatch = The new PIN and its repetition differ.
pin-unlock-title = Owner sign-in
pin-unlock-label = Owner's PIN
pin-unlock-submit = Unlock
pin-change-title = Change the owner's PIN
pin-changed = The owner's PIN was changed.

## Settings

settings-title = Settings
settings-owner-missing = No owner PIN has been set yet; restart the app to set up the till.
settings-owner = Owner: { $name }
settings-lock = Lock
settings-tabs-label = Settings sections
settings-tab-general = General
settings-tab-conflicts = Conflicts
settings-language = Language
settings-lang-fa = فارسی
settings-lang-en = English
settings-unit = Show money in
settings-prices = Sales and prices
settings-profit = Default profit %
settings-deduction = Trade-in deduction %
settings-max-age = Gold price valid for (hours)
settings-price-step = A new price this far from the last asks to be confirmed (percent)
settings-price-floor = Floor of the price per gram of 18k (Rial; 0 for none)
settings-price-ceiling = Ceiling of the price per gram of 18k (Rial; 0 for none)
settings-old-gold-spread = Old gold is bought this much below the day's price (percent)
settings-trade-in-max = The most one line of old gold may weigh (grams)
settings-vat = VAT
settings-vat-note = Comes from the shop server's schedule; it cannot be changed here.
settings-till = Till name
settings-server = Link to the shop's server
settings-server-url = Server address
settings-enrol-code = Enrolment code
settings-enrol-submit = Enrol this till
settings-enrolled-to = This till is linked to the shop:
settings-not-enrolled = This till is not linked to the shop's server yet.
settings-enrol-again = This till is already linked to a shop. Enrolling with a new code replaces that link; unsent sales should be synced first.
settings-enrol-confirm = Yes, enrol again
settings-invalid-number = "{ $value }" is not a valid number.

## Conflicts

conflicts-title = Sync conflicts
conflicts-show-settled = Show settled conflicts
conflicts-empty = No conflicts: every sale agrees with the server.
conflicts-empty-all = There have been no conflicts yet.
conflicts-till = Till
conflicts-this-till = this till
conflicts-when = When
conflicts-till-side = The till's side
conflicts-server-side = The server's side
conflicts-sale-elsewhere = This sale was made on another till; its details are not here.
conflicts-invoice = Invoice no. { $number }
conflicts-customer = Customer
conflicts-total = Total
conflicts-server-tag = Tag
conflicts-server-status = Item status on the server
conflicts-server-sold-by = Sold on till
conflicts-server-price = Price per gram of 18k
conflicts-server-tolerance = Allowed price difference
conflicts-server-discount = Discount, of wage and profit
conflicts-server-discount-limit = The seller's discount limit
conflicts-server-nothing = The server sent no further details.
conflicts-pending = Your decision is saved and waiting for the server.
conflicts-reason = Reason
conflicts-accept-help = The sale is accepted as it is, and the difference is kept on record with your reason. A reason is required.
conflicts-void-help = This invoice is voided.
conflicts-void-confirm = Press again to void for good; Esc to cancel.
conflicts-void-confirm-button = Confirm void
conflicts-retry-help = The sale is sent to the server again for checking (e.g. after the server's stock was corrected).
conflicts-resubmit-help = Give replacement tags for the pieces in question and new payments if needed; the edited sale is sent again.
conflicts-replace-new = Replacement tag for
conflicts-payments = New payments (optional)
conflicts-payment-method = Method
conflicts-payment-amount = Amount ({ $unit })
conflicts-payment-add = Add a payment
conflicts-payment-remove = Remove payment
conflicts-resolved-reason = Reason: { $reason }
conflicts-resolved-at = Decided at
conflicts-line-tag = Tag
conflicts-line-name = Name
conflicts-line-weight = Weight (g)
conflicts-line-total = Amount ({ $unit })
conflicts-confirm-button = Yes, do it
conflicts-confirm-again = Press the same button again to do it; Esc to cancel.
conflicts-effect-void = The invoice is cancelled and its pieces go back in stock: { $amount } the customer paid must be paid back (the invoice was { $due }).
conflicts-effect-void-elsewhere = That till's sale is cancelled and its pieces go back in stock; the customer's money is paid back at that till.
conflicts-effect-accept = The sale stands at { $due }; nothing is collected from or paid back to the customer.
conflicts-effect-accept-shortfall = The sale stands at the till's price, and the shop takes the shortfall of { $shortfall }.
conflicts-effect-accept-elsewhere = That till's sale stands as recorded; no money moves.
conflicts-effect-resubmit-same = The sale is sent again with the replacement pieces; the invoice stays at { $due }.
conflicts-effect-resubmit-collect = The invoice goes from { $old } to { $new }: collect { $difference } from the customer.
conflicts-effect-resubmit-refund = The invoice goes from { $old } to { $new }: pay { $difference } back to the customer.
conflicts-effect-resubmit-payments = The sale is sent again with the payments you entered.
conflicts-settle-collect-by = Collect the difference by
conflicts-settle-refund-by = Pay the difference back by
conflicts-gap-till-price = Till's price (per gram of 18k)
conflicts-gap-shop-price = Shop's price (per gram of 18k)
conflicts-gap-sale-due = The invoice at the till's price
conflicts-gap-due-at-shop = The invoice at the shop's price
conflicts-gap-shortfall = Shortfall
conflicts-gap-excess = Charged over
conflicts-disabled = “{ $resolution }” cannot be done from this till: { $why }
conflicts-why-resubmit-elsewhere = the sale was made at another till, and only that till can edit and resend it.

## Settings: in-app updates
settings-tab-updates = Updates
updates-badge = new
updates-current = This till runs version { $version }.
updates-not-configured = In-app updates are not set up on this till: IT updates it through apt, or names an update server in /etc/zargar/pos.toml.
updates-not-packaged = This copy was not installed from a package; IT updates it another way.
updates-source = Update server:
updates-checked = Last checked { $at }
updates-checking = Looking for an update…
updates-none = This is the latest version.
updates-available = Version { $version } is available
updates-sale-open = A sale is open on the sale screen: finish or clear it first, then install.
updates-confirm = Install version { $version } now? The till keeps working; the new version starts when the app is restarted.
updates-install = Install
updates-install-confirm = Yes, install
updates-installing = Checking the signature and installing…
updates-installed = Version { $version } is installed. Restart the app to use it.
updates-restart = Restart now
updates-check = Check now

# Returns and exchanges (the day's list: R on an invoice)
returnpanel-title = Return or exchange — invoice { $invoice }
returnpanel-refund-total = Coming back:
returnpanel-by-method = Given back by method
returnpanel-room = Can go back
returnpanel-give-back = Give back ({ $unit })
returnpanel-record = Record the return
returnpanel-exchange = Exchange for another piece
returnpanel-cancel = Cancel
returnpanel-hint = Tick the pieces that come back. No method gives back more than was paid by it; cash is the default.
salesday-return = Return / exchange
exchange-banner = Exchange: { $amount } of credit from invoice { $invoice } towards this sale
exchange-used = Exchange credit
exchange-payout = Back to the customer (credit left over)
exchange-cancel = Cancel the exchange

# The inventory form (Insert: a new piece; E on a piece: edit it)
inventory-new = New piece
inventory-edit = Edit
inventory-back-in-stock = Back in stock
inventory-back-done = "{ $tag }" is back in stock and can be sold.
inventory-saved = "{ $tag }" saved.
item-form-new = New piece
item-form-edit = Edit "{ $tag }"
item-form-weight = Weight (g, e.g. 5.230)
item-form-purity = Purity (per mille, e.g. 750)
item-form-wage-kind = Wage charged as
item-form-wage-percent = A percent of the gold
item-form-wage-per_gram = An amount per gram ({ $unit })
item-form-pin = Owner's PIN
item-form-pin-why = A new piece, or a new weight, purity, wage or stones, changes what it sells for: the owner confirms.
item-form-save = Save

# Settings: printers
settings-tab-printers = Printers
printers-receipt = Receipt printer (80 mm)
printers-receipt-hint = A network address (e.g. 192.168.1.50 or 192.168.1.50:9100), a USB device (e.g. /dev/usb/lp0) or a CUPS queue (cups:NAME). Empty: the system's print dialog.
printers-office = A5 invoice printer
printers-page-hint = A CUPS queue name (e.g. Office_A5), or pdf: and a folder to keep each printout as a PDF. Empty: the system's print dialog.
printers-label = Label printer
printers-label-size = Label roll size
printers-label-size-mm = { $size } mm
printers-save = Save the printers
printers-saved = Printers saved: printing now needs no dialog.
inventory-col-mark = For labels
inventory-labels = Print labels ({ $count })
inventory-label-one = This piece's label
labels-title = Labels of { $count } pieces
labels-print = Print the labels
salesday-invoice-placeholder = Return by invoice number
