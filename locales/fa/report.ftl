# The day's report, the list of sales and credit notes, and the export.

## Export columns (CSV headers)
export-col-kind = نوع
export-col-sale-id = شناسهٔ فروش
export-col-invoice-no = شمارهٔ فاکتور
export-col-return-no = شمارهٔ برگشت
export-col-till = صندوق
export-col-at = زمان (UTC)
export-col-date-jalali = تاریخ
export-col-tag = اتیکت
export-col-name = نام کالا
export-col-weight = وزن (گرم)
export-col-purity = عیار
export-col-per-gram-18k = نرخ هر گرم ۱۸ عیار
export-col-gold = بهای طلا
export-col-wage = اجرت
export-col-profit = سود
export-col-vat = مالیات بر ارزش افزوده
export-col-stones = سنگ
export-col-total = مبلغ
export-col-returned = مرجوع شده
export-col-sync-status = وضعیت ارسال
export-col-currency = واحد پول
export-kind-sale = فروش
export-kind-return = برگشت از فروش
export-yes = بله
export-no = خیر
export-currency = ریال

## The end-of-day report
report-title = گزارش پایان روز
report-sales = فروش‌ها
report-returns = برگشت از فروش
report-net = خالص فروش
report-old-gold = طلای کهنهٔ دریافتی
report-old-gold-none = طلای کهنه‌ای دریافت نشده است.
report-grams = { $grams } گرم
report-by-method = به تفکیک روش پرداخت
report-method = روش
report-received = دریافتی
report-refunded = پس‌داده
report-method-net = خالص
report-cash-expected = نقد مورد انتظار در صندوق
report-cash-expected-hint = نقد دریافتی منهای باقی‌ماندهٔ پس‌داده، بهای طلای کهنه پرداخت‌شده و بازپرداخت نقدی
report-parts = اجزای فروش خالص
report-count = { $count } مورد
