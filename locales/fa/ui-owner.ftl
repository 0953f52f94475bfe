# صفحه‌های موجودی، نرخ طلا، فروش‌های روز، تنظیمات مالک و تعارض‌ها.
# مقدارها (عدد، مبلغ، تاریخ) از پیش قالب‌بندی‌شده می‌رسند؛ NUMBER() به کار نرود.

## Shared

owner-percent = { $value }٪
owner-save = ذخیره
owner-saved = ذخیره شد.
owner-cancel = انصراف
owner-loading = در حال بارگذاری…
owner-refresh = تازه‌سازی
owner-unknown = نامشخص

## Inventory

inventory-title = موجودی کالا
inventory-search-label = جستجو
inventory-search-placeholder = برچسب، بارکد یا نام کالا
inventory-status-label = وضعیت
inventory-status-all = همه
inventory-list-label = فهرست کالاها
inventory-col-tag = برچسب
inventory-col-barcode = بارکد
inventory-col-name = نام
inventory-col-category = دسته
inventory-col-weight = وزن (گرم)
inventory-col-purity = عیار
inventory-col-wage = اجرت
inventory-col-stones = سنگ ({ $unit })
inventory-col-status = وضعیت
inventory-col-updated = آخرین تغییر
inventory-col-id = شناسه
inventory-count = تعداد: { $count }
inventory-limit = فقط { $limit } کالای نخست نشان داده می‌شود؛ جستجو را دقیق‌تر کنید.
inventory-empty = کالایی با این مشخصات پیدا نشد.
inventory-detail-title = مشخصات کالا
inventory-detail-hint = برای دیدن مشخصات، ردیفی را انتخاب کنید (کلیدهای جهت و Enter).
inventory-keys = ↑ ↓ جابه‌جایی · Enter نمایش مشخصات · E ویرایش · Space علامت برای اتیکت · L اتیکت · Insert قطعهٔ تازه · Esc برگشت به جستجو

## Gold price

goldprice-title = نرخ طلا
goldprice-current = قیمت هر گرم طلای ۱۸ عیار
goldprice-mazaneh = مظنه (هر مثقال)
goldprice-set-at = زمان ثبت
goldprice-origin = منبع
goldprice-origin-till = همین صندوق
goldprice-origin-server = سرور فروشگاه
goldprice-form-title = ثبت نرخ امروز
goldprice-by = نرخ بر حسب
goldprice-by-gram = هر گرم طلای ۱۸ عیار
goldprice-by-mesghal = مظنه (هر مثقال)
goldprice-amount = مبلغ ({ $unit })
goldprice-amount-hint-gram = قیمت یک گرم طلای ۱۸ عیار را وارد کنید.
goldprice-amount-hint-mesghal = مظنهٔ بازار را برای یک مثقال وارد کنید؛ قیمت هر گرم ۱۸ عیار از روی آن حساب می‌شود.
goldprice-submit = ثبت نرخ
goldprice-saved = نرخ تازه ثبت شد.
goldprice-history = سابقهٔ نرخ‌ها
goldprice-history-empty = هنوز نرخی ثبت نشده است.
goldprice-scope-shop = نرخ فروشگاه
goldprice-by-feed = از خوراک زندهٔ قیمت
goldprice-scope-till = فقط همین صندوق
goldprice-old-gold = خرید طلای کهنه (هر گرم ۱۸ عیار)
goldprice-old-gold-spread = { $percent }٪ کمتر از نرخ روز
goldprice-preview-per-gram = یعنی هر گرم طلای ۱۸ عیار: { $price }
goldprice-preview-per-mesghal = یعنی مظنهٔ هر مثقال: { $price }
goldprice-bounds = کف و سقف نرخ فروشگاه: { $floor } تا { $ceiling }
goldprice-confirm-title = تأیید نرخ تازه
goldprice-step-warning = نرخ تازه { $change }٪ با نرخ قبلی فاصله دارد (بیش از { $step }٪). اگر صفرها درست است، با رمز مالک تأیید کنید.
goldprice-per-gram = هر گرم ۱۸ عیار
goldprice-per-mesghal = هر مثقال (مظنه)
goldprice-old = نرخ قبلی
goldprice-new = نرخ تازه
goldprice-pin = رمز مالک ({ $owner })
goldprice-confirm-save = ثبت نرخ فروشگاه
goldprice-cancel = انصراف
goldprice-col-when = زمان

## Sales of a day

salesday-title = فروش‌های روز
salesday-prev = روز قبل
salesday-next = روز بعد
salesday-today = امروز
salesday-list-label = فاکتورهای روز
salesday-col-kind = نوع
salesday-of-invoice = فاکتور { $invoice }
salesday-col-invoice = شمارهٔ فاکتور
salesday-col-time = ساعت
salesday-col-customer = مشتری
salesday-col-items = اقلام
salesday-col-weight = وزن (گرم)
salesday-col-total = مبلغ کل ({ $unit })
salesday-col-sync = وضعیت ارسال
salesday-empty = در این روز فروشی ثبت نشده است.
salesday-totals = جمع روز
salesday-count = تعداد فاکتور
salesday-items = تعداد اقلام
salesday-weight = وزن کل
salesday-gold = ارزش طلا
salesday-wage = اجرت ساخت
salesday-profit = سود فروشنده
salesday-vat = مالیات بر ارزش افزوده
salesday-total = جمع کل
salesday-export-title = ذخیرهٔ فروش‌های روز (CSV)
salesday-export-filter = فایل CSV (اکسل)
salesday-export = خروجی CSV
salesday-exported = فایل ذخیره شد در:
salesday-back = برگشت به فهرست
salesday-keys = PageUp روز قبل · PageDown روز بعد · Home امروز · ↑ ↓ و Enter باز کردن فاکتور · R برگشت یا تعویض

## Owner's PIN

pin-setup-title = تعیین رمز مالک
pin-setup-intro = تنظیمات، اتصال به سرور و حل تعارض‌ها فقط با رمز مالک باز می‌شود. یک رمز ۴ تا ۸ رقمی انتخاب کنید.
pin-owner-name = نام مالک
pin-new = رمز تازه
pin-confirm = تکرار رمز تازه
pin-current = رمز فعلی
pin-save = ذخیرهٔ رمز
first-run-title = راه‌اندازی صندوق: مالک فروشگاه
first-run-intro = این نخستین اجرای صندوق «{ $till }» است. پیش از فروش، مالک فروشگاه نام و رمز خود را تعیین می‌کند.
first-run-save = ذخیره و شروع
pin-mismatch = رمز تازه و تکرار آن یکی نیستند.
pin-unlock-title = ورود مالک
pin-unlock-label = رمز مالک
pin-unlock-submit = ورود
pin-change-title = تغییر رمز مالک
pin-changed = رمز مالک عوض شد.

## Settings

settings-title = تنظیمات
settings-owner-missing = رمز مالک هنوز تعیین نشده است؛ برنامه را دوباره باز کنید تا راه‌اندازی صندوق انجام شود.
settings-owner = مالک: { $name }
settings-lock = قفل کردن
settings-tabs-label = بخش‌های تنظیمات
settings-tab-general = عمومی
settings-tab-conflicts = تعارض‌ها
settings-language = زبان
settings-lang-fa = فارسی
settings-lang-en = English
settings-unit = واحد نمایش مبلغ
settings-prices = فروش و نرخ
settings-profit = درصد سود پیش‌فرض
settings-deduction = درصد کسر طلای کهنه
settings-max-age = اعتبار نرخ طلا (ساعت)
settings-price-step = فاصلهٔ نرخ تازه از نرخ قبلی که تأیید می‌خواهد (درصد)
settings-price-floor = کف نرخ هر گرم ۱۸ عیار (ریال؛ ۰ یعنی بدون کف)
settings-price-ceiling = سقف نرخ هر گرم ۱۸ عیار (ریال؛ ۰ یعنی بدون سقف)
settings-old-gold-spread = اختلاف نرخ خرید طلای کهنه با نرخ روز (درصد)
settings-trade-in-max = بیشترین وزن یک قلم طلای کهنه (گرم)
settings-vat = مالیات بر ارزش افزوده
settings-vat-note = از جدول سرور فروشگاه می‌آید و اینجا تغییر نمی‌کند.
settings-till = نام صندوق
settings-server = اتصال به سرور فروشگاه
settings-server-url = نشانی سرور
settings-enrol-code = کد ثبت
settings-enrol-submit = ثبت صندوق
settings-enrolled-to = این صندوق به این فروشگاه وصل است:
settings-not-enrolled = این صندوق هنوز به سرور فروشگاه وصل نشده است.
settings-enrol-again = این صندوق هم‌اکنون به فروشگاهی وصل است. ثبت با کد تازه، اتصال فعلی را جایگزین می‌کند؛ فروش‌های ارسال‌نشده باید پیش از آن همگام شده باشند.
settings-enrol-confirm = بله، دوباره ثبت شود
settings-invalid-number = «{ $value }» عدد معتبری نیست.

## Conflicts

conflicts-title = تعارض‌های همگام‌سازی
conflicts-show-settled = نمایش تعارض‌های حل‌شده
conflicts-empty = تعارضی نیست؛ همهٔ فروش‌ها با سرور هم‌خوان‌اند.
conflicts-empty-all = هنوز هیچ تعارضی پیش نیامده است.
conflicts-till = صندوق
conflicts-this-till = همین صندوق
conflicts-when = زمان
conflicts-till-side = نسخهٔ صندوق
conflicts-server-side = نسخهٔ سرور
conflicts-sale-elsewhere = این فروش روی صندوق دیگری ثبت شده و جزئیاتش اینجا نیست.
conflicts-invoice = فاکتور شمارهٔ { $number }
conflicts-customer = مشتری
conflicts-total = جمع کل
conflicts-server-tag = برچسب
conflicts-server-status = وضعیت کالا در سرور
conflicts-server-sold-by = فروخته‌شده در صندوق
conflicts-server-price = نرخ هر گرم ۱۸ عیار
conflicts-server-tolerance = حد مجاز اختلاف نرخ
conflicts-server-discount = تخفیف از اجرت و سود
conflicts-server-discount-limit = سقف تخفیف فروشنده
conflicts-server-nothing = سرور جزئیات بیشتری نفرستاده است.
conflicts-pending = تصمیم شما ثبت شد و در انتظار پاسخ سرور است.
conflicts-reason = دلیل
conflicts-accept-help = فروش همان‌طور که هست پذیرفته می‌شود و اختلاف با دلیل شما در سوابق می‌ماند. نوشتن دلیل لازم است.
conflicts-void-help = این فاکتور باطل می‌شود.
conflicts-void-confirm = برای ابطال قطعی دوباره بزنید؛ Esc برای انصراف.
conflicts-void-confirm-button = تأیید ابطال
conflicts-retry-help = فروش دوباره برای بررسی به سرور فرستاده می‌شود (مثلاً پس از اصلاح موجودی در سرور).
conflicts-resubmit-help = برای کالاهای مشکل‌دار برچسب جایگزین بنویسید و در صورت نیاز پرداخت‌های تازه را وارد کنید؛ فروش ویرایش‌شده دوباره ارسال می‌شود.
conflicts-replace-new = برچسب جایگزین برای
conflicts-payments = پرداخت‌های تازه (اختیاری)
conflicts-payment-method = روش پرداخت
conflicts-payment-amount = مبلغ ({ $unit })
conflicts-payment-add = افزودن پرداخت
conflicts-payment-remove = حذف پرداخت
conflicts-resolved-reason = دلیل: { $reason }
conflicts-resolved-at = زمان تصمیم
conflicts-line-tag = برچسب
conflicts-line-name = نام
conflicts-line-weight = وزن (گرم)
conflicts-line-total = مبلغ ({ $unit })
conflicts-confirm-button = بله، انجام شود
conflicts-confirm-again = برای انجام، دوباره همین دکمه را بزنید؛ Esc برای انصراف.
conflicts-effect-void = فاکتور باطل می‌شود و کالاها به موجودی برمی‌گردند: { $amount } که مشتری پرداخته باید به او پس داده شود (مبلغ فاکتور: { $due }).
conflicts-effect-void-elsewhere = فروش آن صندوق باطل می‌شود و کالاهایش به موجودی برمی‌گردند؛ پول مشتری باید در همان صندوق پس داده شود.
conflicts-effect-accept = فروش با همان مبلغ ({ $due }) پذیرفته می‌شود؛ از مشتری چیزی دریافت یا به او پرداخت نمی‌شود.
conflicts-effect-accept-shortfall = فروش با نرخ صندوق پذیرفته می‌شود و فروشگاه کسری { $shortfall } را می‌پذیرد.
conflicts-effect-accept-elsewhere = فروش آن صندوق همان‌طور که ثبت شده پذیرفته می‌شود؛ پولی جابه‌جا نمی‌شود.
conflicts-effect-resubmit-same = فروش با کالای جایگزین دوباره ارسال می‌شود؛ مبلغ فاکتور تغییر نمی‌کند ({ $due }).
conflicts-effect-resubmit-collect = مبلغ فاکتور از { $old } به { $new } می‌رسد: { $difference } باید از مشتری دریافت شود.
conflicts-effect-resubmit-refund = مبلغ فاکتور از { $old } به { $new } می‌رسد: { $difference } باید به مشتری پس داده شود.
conflicts-effect-resubmit-payments = فروش با پرداخت‌هایی که وارد کردید دوباره ارسال می‌شود.
conflicts-settle-collect-by = دریافت مابه‌التفاوت با
conflicts-settle-refund-by = بازپرداخت مابه‌التفاوت با
conflicts-gap-till-price = نرخ صندوق (هر گرم ۱۸ عیار)
conflicts-gap-shop-price = نرخ فروشگاه (هر گرم ۱۸ عیار)
conflicts-gap-sale-due = مبلغ فاکتور با نرخ صندوق
conflicts-gap-due-at-shop = مبلغ فاکتور با نرخ فروشگاه
conflicts-gap-shortfall = کسری فروش
conflicts-gap-excess = اضافه دریافتی
conflicts-disabled = «{ $resolution }» از این صندوق ممکن نیست: { $why }
conflicts-why-resubmit-elsewhere = فروش روی صندوق دیگری ثبت شده و فقط همان صندوق می‌تواند آن را ویرایش و دوباره ارسال کند.

## Settings: in-app updates
settings-tab-updates = به‌روزرسانی
updates-badge = جدید
updates-current = این صندوق نسخهٔ { $version } را اجرا می‌کند.
updates-not-configured = به‌روزرسانی درون‌برنامه روی این صندوق راه‌اندازی نشده است: پشتیبانی فنی آن را با apt به‌روز می‌کند، یا نشانی سرور به‌روزرسانی را در ‎/etc/zargar/pos.toml‎ می‌گذارد.
updates-not-packaged = این نسخه از بسته نصب نشده است؛ پشتیبانی فنی آن را از راه دیگری به‌روز می‌کند.
updates-source = سرور به‌روزرسانی:
updates-checked = آخرین بررسی { $at }
updates-checking = در حال جستجوی نسخهٔ تازه…
updates-none = این آخرین نسخه است.
updates-available = نسخهٔ { $version } آماده است
updates-sale-open = یک فروش در صفحهٔ فروش باز است: اول آن را ثبت یا پاک کنید، بعد نصب کنید.
updates-confirm = نسخهٔ { $version } همین حالا نصب شود؟ صندوق کار می‌کند؛ نسخهٔ تازه با باز کردن دوبارهٔ برنامه اجرا می‌شود.
updates-install = نصب
updates-install-confirm = بله، نصب شود
updates-installing = در حال بررسی امضا و نصب…
updates-installed = نسخهٔ { $version } نصب شد. برای استفاده، برنامه را دوباره باز کنید.
updates-restart = باز کردن دوباره
updates-check = بررسی کن

# Returns and exchanges (the day's list: R on an invoice)
returnpanel-title = برگشت یا تعویض — فاکتور { $invoice }
returnpanel-refund-total = مبلغ برگشتی:
returnpanel-by-method = بازپرداخت به تفکیک روش
returnpanel-room = قابل بازپرداخت
returnpanel-give-back = بازپرداخت ({ $unit })
returnpanel-record = ثبت برگشت
returnpanel-exchange = تعویض با کالای دیگر
returnpanel-cancel = انصراف
returnpanel-hint = قطعه‌های برگشتی را علامت بزنید. بازپرداخت هر روش بیش از مبلغ پرداخت‌شده با همان روش نیست؛ پیش‌فرض نقدی است.
salesday-return = برگشت / تعویض
exchange-banner = تعویض: اعتبار { $amount } از فاکتور { $invoice } بابت این فروش
exchange-used = اعتبار تعویض
exchange-payout = بازگشت به مشتری (مازاد اعتبار)
exchange-cancel = لغو تعویض

# The inventory form (Insert: a new piece; E on a piece: edit it)
inventory-new = قطعهٔ تازه
inventory-edit = ویرایش
inventory-back-in-stock = برگرداندن به موجودی
inventory-back-done = «{ $tag }» به موجودی برگشت و فروختنی است.
inventory-saved = «{ $tag }» ذخیره شد.
item-form-new = قطعهٔ تازه
item-form-edit = ویرایش «{ $tag }»
item-form-weight = وزن (گرم، مثلاً ۵٫۲۳۰)
item-form-purity = عیار (در هزار، مثلاً ۷۵۰)
item-form-wage-kind = نوع اجرت
item-form-wage-percent = درصد از ارزش طلا
item-form-wage-per_gram = مبلغ برای هر گرم ({ $unit })
item-form-pin = رمز مالک
item-form-pin-why = قطعهٔ تازه یا تغییر وزن، عیار، اجرت یا سنگ بهای فروش را عوض می‌کند و تأیید مالک می‌خواهد.
item-form-save = ذخیره

# Settings: printers
settings-tab-printers = چاپگرها
printers-receipt = چاپگر رسید (۸۰ میلی‌متری)
printers-receipt-hint = نشانی شبکه (مثلاً 192.168.1.50 یا 192.168.1.50:9100)، دستگاه USB (مثلاً /dev/usb/lp0) یا صف CUPS (cups:نام). خالی: پنجرهٔ چاپ سیستم.
printers-office = چاپگر فاکتور A5
printers-page-hint = نام صف CUPS (مثلاً Office_A5) یا pdf: و یک پوشه برای ذخیرهٔ هر چاپ به‌صورت PDF. خالی: پنجرهٔ چاپ سیستم.
printers-label = چاپگر اتیکت
printers-label-size = اندازهٔ رول اتیکت
printers-label-size-mm = { $size } میلی‌متر
printers-save = ذخیرهٔ چاپگرها
printers-saved = چاپگرها ذخیره شد؛ از این پس چاپ بدون پنجره انجام می‌شود.
inventory-col-mark = برای اتیکت
inventory-labels = چاپ اتیکت ({ $count })
inventory-label-one = اتیکت این قطعه
labels-title = اتیکت { $count } قطعه
labels-print = چاپ اتیکت‌ها
salesday-invoice-placeholder = برگشت با شمارهٔ فاکتور
