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
inventory-keys = ↑ ↓ move · Enter details · Esc back to search

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
goldprice-col-when = When

## Sales of a day

salesday-title = Sales of the day
salesday-prev = Previous day
salesday-next = Next day
salesday-today = Today
salesday-list-label = The day's invoices
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
salesday-export = Export CSV
salesday-exported = Saved to:
salesday-back = Back to the list
salesday-keys = PageUp previous day · PageDown next day · Home today · ↑ ↓ and Enter open an invoice

## Owner's PIN

pin-setup-title = Set the owner's PIN
pin-setup-intro = Settings, the server link and settling conflicts open only with the owner's PIN. Choose a PIN of 4 to 8 digits.
pin-owner-name = Owner's name
pin-new = New PIN
pin-confirm = Repeat the new PIN
pin-current = Current PIN
pin-save = Save PIN
pin-mismatch = The new PIN and its repetition differ.
pin-unlock-title = Owner sign-in
pin-unlock-label = Owner's PIN
pin-unlock-submit = Unlock
pin-change-title = Change the owner's PIN
pin-changed = The owner's PIN was changed.

## Settings

settings-title = Settings
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
