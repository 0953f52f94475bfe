# The day's report, the list of sales and credit notes, and the export.

## Export columns (CSV headers)
export-col-kind = kind
export-col-sale-id = sale_id
export-col-invoice-no = invoice_no
export-col-return-no = return_no
export-col-till = till
export-col-at = at
export-col-date-jalali = date_jalali
export-col-tag = tag
export-col-name = name
export-col-weight = weight
export-col-purity = purity
export-col-per-gram-18k = per_gram_18k
export-col-gold = gold
export-col-wage = wage
export-col-profit = profit
export-col-vat = vat
export-col-stones = stones
export-col-total = total
export-col-returned = returned
export-col-sync-status = sync_status
export-col-currency = currency
export-kind-sale = sale
export-kind-return = return
export-yes = yes
export-no = no
export-currency = IRR

## The end-of-day report
report-title = End of day
report-sales = Sales
report-returns = Returns
report-net = Net sales
report-old-gold = Old gold taken in
report-old-gold-none = No old gold taken in.
report-grams = { $grams } g
report-by-method = By payment method
report-method = Method
report-received = Received
report-refunded = Given back
report-method-net = Net
report-cash-expected = Cash expected in the drawer
report-cash-expected-hint = Cash taken, less change, old gold paid for and cash refunds
report-parts = Parts of net sales
report-count = { $count }
