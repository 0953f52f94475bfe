# The printed invoice and credit note. Gold, wage, profit and VAT stand on
# separate lines, as the law requires.

invoice-title = فاکتور فروش شمارهٔ { $number } — { $till }
invoice-date = تاریخ: { $date }  ساعت: { $time }
invoice-customer = خریدار: { $name }
invoice-gold-price = قیمت هر گرم طلای ۱۸ عیار: { $price }
invoice-weight = وزن
invoice-grams = { $weight } گرم
invoice-purity = عیار
invoice-gold = ارزش طلا
invoice-wage = اجرت ساخت
invoice-per-gram = { $amount } برای هر گرم
invoice-profit = سود فروشنده
invoice-vat = مالیات بر ارزش افزوده
invoice-stones = سنگ و متعلقات
invoice-line-total = جمع
invoice-credit-note = برگشت از فروش شمارهٔ { $number } — { $date }
invoice-refund = بازپرداخت ({ $method })
invoice-refund-total = جمع بازپرداخت
invoice-exchanged-to = در تعویض، بابت فاکتور { $invoice }
invoice-returned = مرجوع شده
invoice-sum-gold = جمع ارزش طلا
invoice-sum-wage = جمع اجرت ساخت
invoice-sum-profit = جمع سود فروشنده
invoice-sum-vat = جمع مالیات بر ارزش افزوده
invoice-sum-stones = جمع سنگ و متعلقات
invoice-total = جمع کل فاکتور
invoice-trade-in = طلای کهنه: { $weight } گرم، عیار { $purity }، به نرخ خرید { $buy_price } برای هر گرم ۱۸ عیار، کسر { $deduction }: { $value }
invoice-due = مانده پس از کسر طلای کهنه
invoice-payment = پرداخت ({ $method }): { $amount }
invoice-change = باقی‌مانده به مشتری

return-title = برگشت از فروش شمارهٔ { $number } (فاکتور { $invoice }) — { $till }
return-total = جمع مبلغ برگشتی: { $amount }
return-refund = مبلغ بازپرداخت ({ $method }): { $amount }
return-exchange = در تعویض، به فاکتور { $invoice }

# Tag labels (اتیکت): the lines printed beside a piece's barcode
# (crates/zargar-core/src/label.rs).
label-weight = وزن: { $weight } گرم
label-purity = عیار: { $purity }
label-wage = اجرت: { $wage }
invoice-wage-discount = تخفیف اجرت
invoice-profit-discount = تخفیف سود
invoice-seller = فروشنده: { $name }
invoice-sum-discount = تخفیف اجرت و سود (کسرشده)

# The legal blocks of an official invoice (Moadian).
invoice-legal-seller = مشخصات فروشنده
invoice-legal-buyer = مشخصات خریدار
legal-name = نام
legal-economic-code = کد اقتصادی
legal-national-id = شناسه/کد ملی
legal-postal-code = کد پستی
legal-address = نشانی
legal-phone = تلفن
invoice-tax-id = شمارهٔ منحصربه‌فرد مالیاتی: { $id }

# Settings → مودیان: the shop's invoices with the tax organisation.
settings-tab-tax = مودیان
tax-intro = صورتحساب‌های فروشگاه در سامانهٔ مودیان، همان‌طور که سرور خبر داده است. ردشده‌ها بالا و با دلیل سازمان امور مالیاتی آمده‌اند.
tax-none = هنوز صورتحسابی برای سامانهٔ مودیان صادر نشده است.
tax-col-serial = سریال
tax-col-subject = موضوع
tax-col-issued = تاریخ صدور
tax-col-id = شمارهٔ مالیاتی
tax-col-status = وضعیت
tax-subject-sale = فروش
tax-subject-return = برگشت از فروش
tax-subject-cancellation = ابطال
tax-status-queued = در صف ارسال
tax-status-sent = ارسال‌شده
tax-status-accepted = پذیرفته‌شده
tax-status-rejected = ردشده
