# The printed invoice and credit note. Gold, wage, profit and VAT stand on
# separate lines, as the law requires.

invoice-title = Sales invoice no. { $number } — { $till }
invoice-date = Date: { $date }  Time: { $time }
invoice-customer = Customer: { $name }
invoice-gold-price = Price of one gram of 18k gold: { $price }
invoice-weight = Weight
invoice-grams = { $weight } g
invoice-purity = Purity
invoice-gold = Gold value
invoice-wage = Wage (making charge)
invoice-per-gram = { $amount } per gram
invoice-profit = Seller's profit
invoice-vat = VAT
invoice-stones = Stones and accessories
invoice-line-total = Total
invoice-credit-note = Credit note { $number } — { $date }
invoice-refund = Refund ({ $method })
invoice-refund-total = Total given back
invoice-exchanged-to = Exchanged, towards invoice { $invoice }
invoice-returned = returned
invoice-sum-gold = Total gold value
invoice-sum-wage = Total wage
invoice-sum-profit = Total profit
invoice-sum-vat = Total VAT
invoice-sum-stones = Total stones and accessories
invoice-total = Invoice total
invoice-trade-in = Old gold: { $weight } g, purity { $purity }, bought at { $buy_price } per gram of 18k, less { $deduction }: { $value }
invoice-due = Due after old gold
invoice-payment = Paid ({ $method }): { $amount }
invoice-change = Change to the customer

return-title = Return no. { $number } (invoice { $invoice }) — { $till }
return-total = Total given back: { $amount }
return-refund = Refund ({ $method }): { $amount }
return-exchange = Exchanged, towards invoice { $invoice }

# Tag labels (اتیکت): the lines printed beside a piece's barcode
# (crates/zargar-core/src/label.rs).
label-weight = Weight: { $weight } g
label-purity = Purity: { $purity }
label-wage = Wage: { $wage }
invoice-wage-discount = Discount on the making charge
invoice-profit-discount = Discount on the profit
invoice-seller = Sold by: { $name }
invoice-sum-discount = Discount on wage and profit (deducted)

# The legal blocks of an official invoice (Moadian).
invoice-legal-seller = Seller
invoice-legal-buyer = Buyer
legal-name = Name
legal-economic-code = Economic code
legal-national-id = National id
legal-postal-code = Postal code
legal-address = Address
legal-phone = Phone
invoice-tax-id = Tax id: { $id }

# Settings → Moadian: the shop's invoices with the tax organisation.
settings-tab-tax = Moadian
tax-intro = The shop's invoices in the Moadian system, as the server reported them. Rejected ones come first, with the tax organisation's reason.
tax-none = No Moadian invoice has been issued yet.
tax-col-serial = Serial
tax-col-subject = Subject
tax-col-issued = Issued
tax-col-id = Tax id
tax-col-status = Status
tax-subject-sale = Sale
tax-subject-return = Sales return
tax-subject-cancellation = Cancellation
tax-status-queued = Queued
tax-status-sent = Sent
tax-status-accepted = Accepted
tax-status-rejected = Rejected
