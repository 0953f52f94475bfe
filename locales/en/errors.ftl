# Errors a cashier, owner or IT person reads. Ids are error-<code> from
# zargar-core's StoreError (error.rs); invalid input has one per field.

error-not-initialized = This till is not set up yet. Run "zargar init" first.
error-already-initialized = This till is already set up as "{ $name }".
error-amount-out-of-range = The amount is too large.
error-item-not-found = No item with tag or barcode "{ $tag }".
error-item-not-in-stock = Item "{ $tag }" is not in stock (status: { $status }).
error-item-sold-at = Item "{ $tag }" was sold at { $till }.
error-item-twice-in-sale = Item "{ $tag }" is twice in this sale.
error-tag-taken = Tag "{ $tag }" is already used by another item.
error-barcode-taken = Barcode "{ $barcode }" is already used by another item.
error-empty-sale = A sale needs at least one item.
error-customer-not-found = No customer "{ $customer }".
error-customer-exists = Another customer has the same { $field ->
        [mobile] mobile number
       *[national_id] national id
    }.
error-no-gold-price = No gold price has been set. Enter today's price first.
error-payments-short = The payments ({ $paid }) do not cover the amount due ({ $due }); { $short } short.
error-sale-not-found = No sale number "{ $sale }".
error-not-returnable = "{ $tag }" is not on this invoice or was returned already.
error-import-row = Error on line { $line } of the file:
error-schema-too-new = This database (version { $found }) was written by a newer app (this one: { $supported }). Update the app.
error-corrupt = The stored data is not valid. Call support; nothing was changed.
error-internal = An internal error occurred; nothing was saved. Details were logged for support.
error-csv = The CSV file cannot be read.

error-invalid-tag = Tag "{ $value }" is not valid.
error-invalid-barcode = Barcode "{ $value }" is not valid.
error-invalid-economic-code = Economic code "{ $value }" is not valid: 11 to 14 digits.
error-invalid-postal-code = Postal code "{ $value }" is not valid: 10 digits.
error-invalid-name = Name "{ $value }" is not valid.
error-invalid-category = Category "{ $value }" is not valid.
error-invalid-weight = Weight "{ $value }" is not valid; give a positive weight in grams (e.g. 5.230).
error-invalid-purity = Purity "{ $value }" is not valid; per mille, from 1 to 1000 (e.g. 750).
error-invalid-wage-percent = Wage percentage "{ $value }" is not valid; give 0 to 100 (or a wage per gram).
error-invalid-wage-per-gram = Wage per gram "{ $value }" is not valid; give whole Rials.
error-invalid-stones = Stones value "{ $value }" is not valid; give whole Rials.
error-invalid-amount = Amount "{ $value }" is not valid; give a positive whole number of Rials.
error-invalid-gold-price = Gold price "{ $value }" is not valid; Rials per gram of 18k gold.
error-invalid-mazaneh = Mesghal quote "{ $value }" is not valid; Rials per mesghal.
error-invalid-profit-percent = Profit percentage "{ $value }" is not valid; 0 to 100.
error-invalid-discount-limit = Discount limit "{ $value }" is not valid; a percentage from 0 to 100.
error-invalid-vat-percent = VAT percentage "{ $value }" is not valid; 0 to 100.
error-invalid-deduction-percent = Trade-in deduction "{ $value }" is not valid; 0 to under 100.
error-invalid-mobile = Mobile number "{ $value }" is not valid; use 09xxxxxxxxx.
error-invalid-national-id = National id "{ $value }" is not valid; ten digits with a correct check digit.
error-invalid-payment-method = Payment method "{ $value }" is unknown; cash, card, transfer or cheque.
error-invalid-payment = Payment "{ $value }" is not valid; use METHOD=AMOUNT, e.g. cash=120000000.
error-invalid-trade-in = Trade-in "{ $value }" is not valid; use WEIGHT,PURITY,DEDUCTION%, e.g. 10,750,5.
error-invalid-date = Date "{ $value }" is not valid; e.g. 1404/08/30 or 2025-11-21.
error-invalid-device-name = Till name "{ $value }" is not valid.
error-invalid-setting = Setting "{ $value }" is not valid.

## The sales journal's hash chain

journal-break-missing = The sales journal is broken: entry { $index } is missing.
journal-break-content = The sales journal is broken: the content of entry { $index } was changed.
journal-break-link = The sales journal is broken: entry { $index } does not link to the entry before it.
journal-break-hash = The sales journal is broken: the hash of entry { $index } was changed.
error-invalid-item-status = Status "{ $value }" is not valid; in_stock, reserved, repair or returned.

## Guards against a slip of the finger

error-payment-above-due = The { $method } amount ({ $amount }) is more than what is due ({ $due }); card, transfer and cheque cannot exceed the invoice. Take the rest in cash.
error-payment-zero = The payment is zero; enter an amount above zero (or Enter on an empty amount to pay the rest).
error-trade-in-too-heavy = Old gold of { $weight } g is more than one trade-in line may weigh ({ $max } g); check the decimal point (e.g. 5.230).
error-price-below-floor = A price of { $price } per gram of 18k is below the shop's floor ({ $floor }) and is refused; check the zeros.
error-price-above-ceiling = A price of { $price } per gram of 18k is above the shop's ceiling ({ $ceiling }) and is refused; check the zeros.
error-price-step-unconfirmed = The new price ({ $price }) is { $change }% away from the last ({ $previous }); confirm it if it is right.
error-due-change-unsettled = This edit changes the invoice by { $difference }; say how the difference was settled (collected or refunded).
error-due-change-mismatch = The invoice changes by { $difference }, not { $settled }; preview it again.

## Fleet preset and updates
error-preset-invalid = The fleet preset { $path } is not valid (line { $line }: { $problem }). The till started on its own defaults; ask IT to fix the file.
error-preset-code-missing = The fleet preset names an enrolment code file ({ $path }) that is missing or empty: the till is not enrolled. Enrol it in Settings.
error-preset-enrol-failed = Enrolling this till from the fleet preset failed; the till sells on and keeps its sales. Enrol it in Settings. The reason:
error-update-signature-bad = The update's signature does not match this till's key: nothing was installed, and this version keeps running. Tell IT.
error-update-unreachable = The update server could not be reached or gave no valid answer; this version keeps running.
error-update-install-failed = The update was verified but could not be installed (permission was refused or the package manager failed); this version keeps running.
error-update-none = There is no update to install; check again first.

# Returns and exchanges
error-refund-above-method = Giving back { $amount } by { $method } is more than was paid that way and not yet given back ({ $available }); give the rest another way.
error-refund-split-mismatch = The refund's parts add up to { $given }, not the { $refund } being returned.
error-exchange-credit-misused = Exchange credit pays only the new sale of the same exchange.
error-owner-pin-needed = This sets or changes what the piece sells for; the owner's PIN is needed.
error-offline-sale-limit = This sale ({ $total }) is over the shop's limit for one sale while offline ({ $limit }); the owner's PIN is needed.
error-unsent-total-limit = With this sale the till would hold { $total } of unsent sales, over the shop's limit of { $limit }; the owner's PIN is needed.

# Tag labels
error-label-empty = There is nothing to put in the barcode.
error-label-unencodable = "{ $code }" cannot go in a barcode: the character "{ $char }" ({ $codepoint }) is not a Latin letter, digit or sign. Give the piece a barcode of Latin letters and digits.
error-label-bad-size = The label size "{ $value }" is not valid; give width x height in millimetres, e.g. 50x30 (width { $width_min } to { $width_max }, height { $height_min } to { $height_max }).
error-label-too-narrow = The barcode of "{ $code }" needs at least { $needed } mm, but the label has { $width } mm for it; choose a wider label or a shorter code.

# Receipt printers
error-printer-unreachable = The receipt printer { $printer } cannot be reached. Check that it is switched on and connected, and its address in Settings; then print again.
error-printer-offline = The receipt printer { $printer } is offline: its cover may be open, or it shows an error. Nothing was printed; fix it and print again.
error-printer-out-of-paper = The receipt printer { $printer } is out of paper. Nothing was printed; load a new roll and print again.
error-printer-permission = This till's user may not use the printer { $printer }. Ask IT to give it access (on Linux, the "lp" group).
error-printer-cups = The printing system (CUPS) did not take the receipt for { $printer }: { $detail }
error-printer-bad-address = "{ $address }" is not a receipt printer address. Type an IP address (192.168.1.50 or 192.168.1.50:9100), a USB device (/dev/usb/lp0) or a CUPS printer (cups:NAME).
error-print-image-bad = The receipt image cannot be printed ({ $width } × { $height } dots; at most 832 dots wide). Nothing was printed.
error-no-printer = No printer is set for this in Settings.
error-print-page-failed = The page did not print: { $detail }. Check the printer in Settings; the sale is saved and can be printed again.
error-invalid-discount = Discount "{ $value }" is not valid; a percent with % (10%) or an amount in Rials.
error-discount-past-part = The discount is more than the making charge or profit it comes off.
