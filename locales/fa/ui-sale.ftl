# صفحهٔ فروش، فاکتور چاپی و نوار وضعیت برنامهٔ رومیزی.
# مقادیر (مبلغ، وزن، عدد) با رقم فارسی و قالب‌بندی‌شده به اینجا می‌رسند.

## صفحهٔ فروش: اسکن و اقلام

sale-scan-label = برچسب یا بارکد کالا
# فقط واژه‌های فارسی: این خانه چپ‌به‌راست است و کلمهٔ لاتین (مثل نام کلید) ترتیب جمله را به هم می‌زند.
sale-scan-placeholder = برچسب کالا را اسکن یا تایپ کنید
sale-source-scanner = اسکن شد: { $code }
sale-source-typed = تایپ شد: { $code }
sale-pricing = در حال قیمت‌گذاری…
sale-lines-label = اقلام این فروش
sale-amounts-in = مبالغ به { $unit }
sale-no-lines = هنوز کالایی در این فروش نیست. برای شروع، برچسب را اسکن کنید.
sale-col-tag = برچسب
sale-col-name = نام کالا
sale-col-wage = اجرت
sale-col-profit = سود
sale-col-vat = مالیات
sale-remove = حذف
sale-remove-line = حذف «{ $name }» از فروش

## جمع فروش

sale-totals = جمع فروش
sale-trade-in-total = طلای کهنه
sale-due = قابل پرداخت
sale-paid = پرداخت‌شده
sale-remaining = مانده
sale-vat-rate = نرخ مالیات بر ارزش افزوده: { $percent }

## مشتری

sale-customer = مشتری
sale-customer-search = جستجوی مشتری (نام، موبایل یا کد ملی)
sale-customer-none = مشتری‌ای با این مشخصات پیدا نشد.
sale-customer-new = مشتری جدید
sale-customer-name = نام و نام خانوادگی
sale-customer-mobile = شمارهٔ موبایل
sale-customer-national-id = کد ملی
sale-customer-add = ثبت و انتخاب
sale-customer-name-required = نام مشتری را وارد کنید.
sale-cancel = انصراف

## طلای کهنه

sale-trade-in = طلای کهنه
sale-trade-in-weight = وزن (گرم)
sale-trade-in-purity = عیار (در هزار)
sale-trade-in-deduction = درصد کسر
sale-trade-in-default = پیش‌فرض فروشگاه
sale-trade-in-default-percent = پیش‌فرض: { $percent }
sale-trade-in-add = افزودن
sale-remove-trade-in = حذف طلای کهنه

## پرداخت

sale-payments = پرداخت‌ها
sale-pay-amount = مبلغ ({ $unit })
sale-pay-method = روش پرداخت
sale-pay-add = ثبت پرداخت
# پس از کلید Enter نمایش داده می‌شود.
sale-pay-hint = با خانهٔ خالی، کل مانده را با روش انتخاب‌شده پرداخت می‌کند.
sale-pay-rest-placeholder = مانده: { $amount }
sale-pay-invalid = «{ $value }» مبلغ معتبری نیست؛ فقط رقم وارد کنید، مثلاً ۱۲۵٬۰۰۰٬۰۰۰.
sale-pay-nothing-due = مبلغی برای پرداخت باقی نمانده است.
sale-pay-zero = مبلغ صفر است؛ مبلغ پرداخت را وارد کنید.
sale-pay-above-due = مبلغ { $method } ({ $amount }) بیش از حد مجاز است: با کارت‌خوان، انتقال و چک روی هم فقط { $room } دیگر می‌شود گرفت. بقیه را نقدی بگیرید.
sale-pay-above-due-none = چیزی برای پرداخت با { $method } نمانده است؛ کارت‌خوان، انتقال و چک نمی‌توانند از مبلغ قابل پرداخت بیشتر شوند.
sale-remove-payment = حذف پرداخت { $method }

## ثبت فروش

sale-confirm = ثبت فروش
sale-recording = در حال ثبت…
sale-why-no-items = برای ثبت، دست‌کم یک کالا اضافه کنید.
sale-why-payments-short = هنوز { $remaining } از مبلغ قابل پرداخت مانده است.
sale-saved = فروش ثبت شد.
sale-new = فروش جدید
sale-clear-ask = کل این فروش پاک شود؟

## پرداخت به مشتری (طلای کهنه بیش از فاکتور)

sale-payout = فروشگاه به مشتری می‌پردازد
sale-payout-note = ارزش طلای کهنه از جمع فاکتور بیشتر است؛ این مبلغ را نقدی به مشتری بدهید.
sale-payout-hint = پیش از ثبت، پرداخت این مبلغ به مشتری را تأیید می‌کنید.
sale-payout-ask = فروشگاه { $amount } به مشتری می‌پردازد. پس از پرداخت، ثبت فروش را تأیید کنید.
sale-payout-confirm = پرداخت شد؛ ثبت فروش
sale-owner-pin = رمز مالک
sale-owner-pin-confirm = ثبت با رمز مالک

## میانبرها

sale-keys-label = میانبرهای صفحه‌کلید
sale-key-add = افزودن کالا
sale-key-select = انتخاب ردیف
sale-key-remove = حذف ردیف
sale-key-customer = مشتری
sale-key-pay = پرداخت
sale-key-trade-in = طلای کهنه
sale-key-confirm = ثبت فروش
sale-key-back = بازگشت به اسکن
sale-key-clear = پاک کردن فروش

## فاکتور روی صفحه و چاپی

receipt-heading = فاکتور فروش
receipt-no = شمارهٔ فاکتور
receipt-till = صندوق
receipt-date = تاریخ و ساعت
receipt-customer = خریدار
receipt-amounts-in = مبالغ به { $unit }
receipt-piece = کالا
receipt-payment = پرداخت ({ $method })
receipt-paid = جمع پرداخت‌ها
receipt-vat-rate = نرخ مالیات بر ارزش افزوده: { $percent }
receipt-print-80mm = چاپ رسید ۸۰ میلی‌متری
receipt-print-a5 = چاپ در برگ A5

## نوار وضعیت همگام‌سازی

statusbar-label = وضعیت همگام‌سازی
statusbar-online = متصل
statusbar-online-live = متصل، زنده
statusbar-live-title = فروش صندوق‌های دیگر فروشگاه در کمتر از یک ثانیه این‌جا دیده می‌شود
statusbar-offline = بدون اتصال
statusbar-pending = فروش‌های ارسال‌نشده:
statusbar-pending-title = فروش‌هایی که هنوز به سرور فروشگاه نرسیده‌اند
statusbar-oldest-pending = قدیمی‌ترین فروش ارسال‌نشده: { $time }
statusbar-last-sync = آخرین همگام‌سازی: { $when }
statusbar-never-synced = هنوز همگام‌سازی نشده است
statusbar-pushing = ارسال { $done } از { $total }
statusbar-pulling = در حال دریافت تغییرات
statusbar-conflicts = تعارض: { $count }
statusbar-conflicts-title = تعارض‌های باز به تصمیم مالک نیاز دارند؛ برای دیدنشان به تنظیمات بروید.
statusbar-sync-now = همگام‌سازی الان
statusbar-unknown = وضعیت همگام‌سازی هنوز معلوم نیست

# Printing (P: the receipt, Shift+P: A5; silent when Settings name a printer)
print-busy = در حال چاپ…
print-done = چاپ شد.
print-paper-near-end = چاپ شد؛ کاغذ چاپگر رو به اتمام است.
print-again-hint = فروش ثبت شده است؛ پس از رفع مشکل، P را دوباره بزنید.
receipt-seller = فروشنده
sale-discount = تخفیف
sale-discount-wage = از اجرت
sale-discount-profit = از سود
sale-discount-placeholder = ٪ یا مبلغ
sale-discount-share = { $amount } تخفیف، { $percent } از اجرت و سود
sale-discount-over-limit = بیش از سقف تخفیف شما؛ ثبت، رمز مدیر می‌خواهد.
sale-key-discount = تخفیف
sale-manager-pin = رمز مدیر
sale-manager-pin-confirm = ثبت با رمز مدیر
