# The desktop app's sale screen, printed invoice and status bar.
# Values (amounts, weights, counts) arrive formatted for the language.

## Sale screen: scanning and lines

sale-scan-label = Item tag or barcode
# Words only: the field is left-to-right, and in Persian a Latin key name scrambles the sentence.
sale-scan-placeholder = Scan or type a tag
sale-source-scanner = Scanned: { $code }
sale-source-typed = Typed: { $code }
sale-pricing = Pricing…
sale-lines-label = Pieces in this sale
sale-amounts-in = Amounts in { $unit }
sale-no-lines = No pieces in this sale yet. Scan a tag to start.
sale-col-tag = Tag
sale-col-name = Item
sale-col-wage = Wage
sale-col-profit = Profit
sale-col-vat = VAT
sale-remove = Remove
sale-remove-line = Remove "{ $name }" from the sale

## Totals

sale-totals = Sale totals
sale-trade-in-total = Old gold
sale-due = Due
sale-paid = Paid
sale-remaining = Remaining
sale-vat-rate = VAT rate: { $percent }

## Customer

sale-customer = Customer
sale-customer-search = Find a customer (name, mobile or national id)
sale-customer-none = No customer matches.
sale-customer-new = New customer
sale-customer-name = Full name
sale-customer-mobile = Mobile number
sale-customer-national-id = National id
sale-customer-add = Add and choose
sale-customer-name-required = Enter the customer's name.
sale-cancel = Cancel

## Old gold (trade-in)

sale-trade-in = Old gold
sale-trade-in-weight = Weight (g)
sale-trade-in-purity = Purity (per mille)
sale-trade-in-deduction = Deduction %
sale-trade-in-default = Shop default
sale-trade-in-default-percent = Default: { $percent }
sale-trade-in-add = Add
sale-remove-trade-in = Remove old gold

## Payments

sale-payments = Payments
sale-pay-amount = Amount ({ $unit })
sale-pay-method = Method
sale-pay-add = Add payment
# Shown after the Enter key.
sale-pay-hint = on an empty amount pays all that remains with the chosen method.
sale-pay-rest-placeholder = Remaining: { $amount }
sale-pay-invalid = "{ $value }" is not a valid amount; type digits only, e.g. 125,000,000.
sale-pay-nothing-due = Nothing remains to pay.
sale-pay-zero = The amount is zero; enter the amount paid.
sale-pay-above-due = { $method }: { $amount } is more than allowed; card, transfer and cheque together may take only { $room } more. Take the rest in cash.
sale-pay-above-due-none = Nothing is left to pay by { $method }; card, transfer and cheque cannot exceed what is due.
sale-remove-payment = Remove the { $method } payment

## Recording

sale-confirm = Record sale
sale-recording = Recording…
sale-why-no-items = Add at least one piece to record the sale.
sale-why-payments-short = { $remaining } of the amount due is still unpaid.
sale-saved = Sale recorded.
sale-new = New sale
sale-clear-ask = Clear this whole sale?

## Paying the customer out (old gold worth more than the sale)

sale-payout = The shop pays the customer
sale-payout-note = The old gold is worth more than the sale; hand this amount to the customer in cash.
sale-payout-hint = Before recording, you will confirm paying this amount to the customer.
sale-payout-ask = The shop pays the customer { $amount }. Once paid, confirm to record the sale.
sale-payout-confirm = Paid out: record the sale
sale-owner-pin = Owner's PIN
sale-owner-pin-confirm = Record with the owner's PIN

## Shortcuts

sale-keys-label = Keyboard shortcuts
sale-key-add = add piece
sale-key-select = select line
sale-key-remove = remove line
sale-key-customer = customer
sale-key-pay = payment
sale-key-trade-in = old gold
sale-key-confirm = record sale
sale-key-back = back to scan
sale-key-clear = clear sale

## Invoice on screen and in print

receipt-heading = Sales invoice
receipt-no = Invoice no.
receipt-till = Till
receipt-date = Date and time
receipt-customer = Customer
receipt-amounts-in = Amounts in { $unit }
receipt-piece = Item
receipt-payment = Paid ({ $method })
receipt-paid = Total paid
receipt-vat-rate = VAT rate: { $percent }
receipt-print-80mm = Print 80 mm receipt
receipt-print-a5 = Print on A5

## Sync status bar

statusbar-label = Sync status
statusbar-online = online
# The server tells this till of other tills' sales as they happen.
statusbar-online-live = online, live
statusbar-live-title = Sales at the shop's other tills show here within a second
statusbar-offline = offline
statusbar-pending = Unsent sales:
statusbar-pending-title = Sales not yet received by the shop's server
statusbar-oldest-pending = Oldest unsent sale: { $time }
statusbar-last-sync = Last sync: { $when }
statusbar-never-synced = Never synced
statusbar-pushing = Sending { $done } of { $total }
statusbar-pulling = Receiving changes
statusbar-conflicts = Conflicts: { $count }
statusbar-conflicts-title = Open conflicts need the owner's decision; they are in Settings.
statusbar-sync-now = Sync now
statusbar-unknown = Sync status not known yet

# Printing (P: the receipt, Shift+P: A5; silent when Settings name a printer)
print-busy = Printing…
print-done = Printed.
print-paper-near-end = Printed; the printer's paper is running out.
print-again-hint = The sale is saved; once the printer is fixed, press P again.
receipt-seller = Sold by
sale-discount = Discount
sale-discount-wage = Off the wage
sale-discount-profit = Off the profit
sale-discount-placeholder = % or amount
sale-discount-share = { $amount } off, { $percent } of wage and profit
sale-discount-over-limit = Past your discount limit; recording asks for a manager's PIN.
sale-key-discount = discount
sale-manager-pin = Manager's PIN
sale-manager-pin-confirm = Record with the manager's PIN
