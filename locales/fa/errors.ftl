# Errors a cashier, owner or IT person reads. Ids are error-<code> from
# zargar-core's StoreError (error.rs); invalid input has one per field.

error-not-initialized = این صندوق هنوز راه‌اندازی نشده است. ابتدا «zargar init» را اجرا کنید.
error-already-initialized = این صندوق قبلاً با نام «{ $name }» راه‌اندازی شده است.
error-amount-out-of-range = مبلغ بیش از حد بزرگ است.
error-item-not-found = کالایی با برچسب یا بارکد «{ $tag }» پیدا نشد.
error-item-not-in-stock = کالای «{ $tag }» موجود نیست (وضعیت: { $status }).
error-item-sold-at = کالای «{ $tag }» در { $till } فروخته شده است.
error-item-twice-in-sale = کالای «{ $tag }» دو بار در این فروش آمده است.
error-tag-taken = برچسب «{ $tag }» قبلاً برای کالای دیگری ثبت شده است.
error-barcode-taken = بارکد «{ $barcode }» قبلاً برای کالای دیگری ثبت شده است.
error-empty-sale = فروش باید دست‌کم یک کالا داشته باشد.
error-customer-not-found = مشتری «{ $customer }» پیدا نشد.
error-customer-exists = مشتری دیگری با همین { $field ->
        [mobile] شماره موبایل
       *[national_id] کد ملی
    } ثبت شده است.
error-no-gold-price = قیمت طلا هنوز ثبت نشده است. ابتدا قیمت روز را وارد کنید.
error-payments-short = پرداخت‌ها ({ $paid }) مبلغ قابل پرداخت ({ $due }) را پوشش نمی‌دهد؛ { $short } کم است.
error-sale-not-found = فروشی با شماره «{ $sale }» پیدا نشد.
error-not-returnable = «{ $tag }» در این فاکتور نیست یا قبلاً مرجوع شده است.
error-import-row = خطا در سطر { $line } فایل:
error-schema-too-new = این پایگاه داده (نسخه { $found }) با نسخهٔ جدیدتری از برنامه ساخته شده است (این برنامه: { $supported }). برنامه را به‌روز کنید.
error-corrupt = داده‌های ذخیره‌شده معتبر نیستند. با پشتیبانی تماس بگیرید؛ چیزی تغییر داده نشد.
error-internal = خطای داخلی رخ داد؛ چیزی ذخیره نشد. جزئیات برای پشتیبانی ثبت شد.
error-csv = فایل CSV قابل خواندن نیست.

error-invalid-tag = برچسب «{ $value }» معتبر نیست.
error-invalid-barcode = بارکد «{ $value }» معتبر نیست.
error-invalid-economic-code = کد اقتصادی «{ $value }» معتبر نیست؛ ۱۱ تا ۱۴ رقم.
error-invalid-postal-code = کد پستی «{ $value }» معتبر نیست؛ ۱۰ رقم.
error-invalid-name = نام «{ $value }» معتبر نیست.
error-invalid-category = دسته «{ $value }» معتبر نیست.
error-invalid-weight = وزن «{ $value }» معتبر نیست؛ وزن باید عددی مثبت به گرم باشد (مثلاً ۵٫۲۳۰).
error-invalid-purity = عیار «{ $value }» معتبر نیست؛ عیار در هزار، از ۱ تا ۱۰۰۰ (مثلاً ۷۵۰).
error-invalid-wage-percent = درصد اجرت «{ $value }» معتبر نیست؛ عددی از ۰ تا ۱۰۰ وارد کنید (یا اجرت هر گرم را).
error-invalid-wage-per-gram = اجرت هر گرم «{ $value }» معتبر نیست؛ مبلغی درست به ریال وارد کنید.
error-invalid-stones = ارزش سنگ «{ $value }» معتبر نیست؛ مبلغی درست به ریال وارد کنید.
error-invalid-amount = مبلغ «{ $value }» معتبر نیست؛ مبلغی درست و مثبت به ریال وارد کنید.
error-invalid-gold-price = قیمت طلا «{ $value }» معتبر نیست؛ قیمت هر گرم طلای ۱۸ عیار به ریال.
error-invalid-mazaneh = مظنه «{ $value }» معتبر نیست؛ قیمت هر مثقال به ریال.
error-invalid-profit-percent = درصد سود «{ $value }» معتبر نیست؛ عددی از ۰ تا ۱۰۰.
error-invalid-discount-limit = سقف تخفیف «{ $value }» معتبر نیست؛ درصدی از ۰ تا ۱۰۰.
error-invalid-vat-percent = درصد مالیات بر ارزش افزوده «{ $value }» معتبر نیست؛ عددی از ۰ تا ۱۰۰.
error-invalid-deduction-percent = درصد کسر طلای کهنه «{ $value }» معتبر نیست؛ عددی از ۰ تا کمتر از ۱۰۰.
error-invalid-mobile = شماره موبایل «{ $value }» معتبر نیست؛ به شکل ۰۹xxxxxxxxx.
error-invalid-national-id = کد ملی «{ $value }» معتبر نیست؛ ده رقم با رقم کنترل درست.
error-invalid-payment-method = روش پرداخت «{ $value }» شناخته نشد؛ نقد، کارت، انتقال یا چک.
error-invalid-payment = پرداخت «{ $value }» معتبر نیست؛ به شکل روش=مبلغ، مثلاً cash=120000000.
error-invalid-trade-in = طلای کهنه «{ $value }» معتبر نیست؛ به شکل وزن،عیار،درصد کسر، مثلاً 10,750,5.
error-invalid-date = تاریخ «{ $value }» معتبر نیست؛ مثلاً ۱۴۰۴/۰۸/۳۰ یا 2025-11-21.
error-invalid-device-name = نام صندوق «{ $value }» معتبر نیست.
error-invalid-setting = تنظیم «{ $value }» معتبر نیست.

## The sales journal's hash chain

journal-break-missing = دفتر فروش خدشه‌دار است: سند شمارهٔ { $index } وجود ندارد.
journal-break-content = دفتر فروش خدشه‌دار است: محتوای سند شمارهٔ { $index } تغییر کرده است.
journal-break-link = دفتر فروش خدشه‌دار است: سند شمارهٔ { $index } به سند پیش از خود پیوند ندارد.
journal-break-hash = دفتر فروش خدشه‌دار است: اثر انگشت سند شمارهٔ { $index } تغییر کرده است.
error-invalid-item-status = وضعیت «{ $value }» معتبر نیست؛ in_stock، reserved، repair یا returned.

## Guards against a slip of the finger

error-payment-above-due = مبلغ { $method } ({ $amount }) از مبلغ قابل پرداخت ({ $due }) بیشتر است؛ کارت، انتقال و چک بیش از مبلغ فاکتور پذیرفته نمی‌شود. مازاد را نقدی بگیرید.
error-payment-zero = مبلغ پرداخت صفر است؛ مبلغی بیشتر از صفر وارد کنید (یا Enter با خانهٔ خالی برای پرداخت باقی‌مانده).
error-trade-in-too-heavy = وزن طلای کهنه ({ $weight } گرم) بیش از سقف یک قلم ({ $max } گرم) است؛ ممیز وزن را بررسی کنید (مثلاً ۵٫۲۳۰).
error-price-below-floor = قیمت { $price } برای هر گرم طلای ۱۸ عیار کمتر از کف قیمت فروشگاه ({ $floor }) است و پذیرفته نمی‌شود؛ صفرها را بررسی کنید.
error-price-above-ceiling = قیمت { $price } برای هر گرم طلای ۱۸ عیار بیشتر از سقف قیمت فروشگاه ({ $ceiling }) است و پذیرفته نمی‌شود؛ صفرها را بررسی کنید.
error-price-step-unconfirmed = قیمت تازه ({ $price }) { $change }٪ با قیمت قبلی ({ $previous }) فاصله دارد؛ اگر درست است آن را تأیید کنید.
error-due-change-unsettled = با این تغییر، مبلغ فاکتور { $difference } تغییر می‌کند؛ بگویید مابه‌التفاوت چگونه تسویه شد (دریافت یا بازپرداخت).
error-due-change-mismatch = مابه‌التفاوت فاکتور { $difference } است، نه { $settled }؛ دوباره پیش‌نمایش بگیرید.

## Fleet preset and updates
error-preset-invalid = فایل تنظیمات پیش‌فرض ⁨{ $path }⁩ درست نیست (سطر { $line }: ⁨{ $problem }⁩). صندوق با تنظیمات خودش باز شد؛ از پشتیبانی فنی بخواهید فایل را درست کند.
error-preset-code-missing = تنظیمات پیش‌فرض به فایل کد ثبت (⁨{ $path }⁩) اشاره می‌کند که نیست یا خالی است: صندوق ثبت نشد. آن را در تنظیمات ثبت کنید.
error-preset-enrol-failed = ثبت این صندوق از روی تنظیمات پیش‌فرض انجام نشد؛ صندوق به فروش ادامه می‌دهد و فروش‌ها را نگه می‌دارد. آن را در تنظیمات ثبت کنید. علت:
error-update-signature-bad = امضای به‌روزرسانی با کلید این صندوق نمی‌خواند: چیزی نصب نشد و همین نسخه به کار ادامه می‌دهد. به پشتیبانی فنی خبر دهید.
error-update-unreachable = سرور به‌روزرسانی در دسترس نبود یا پاسخ درستی نداد؛ همین نسخه به کار ادامه می‌دهد.
error-update-install-failed = به‌روزرسانی تأیید شد اما نصب نشد (اجازهٔ نصب داده نشد یا مدیر بسته‌ها خطا داد)؛ همین نسخه به کار ادامه می‌دهد.
error-update-none = به‌روزرسانی‌ای برای نصب نیست؛ اول دوباره بررسی کنید.

# Returns and exchanges
error-refund-above-method = بازپرداخت { $amount } با { $method } بیش از مبلغی است که با این روش پرداخت شده و برنگشته ({ $available })؛ بقیه را با روش دیگری بدهید.
error-refund-split-mismatch = جمع بخش‌های بازپرداخت ({ $given }) با مبلغ مرجوعی ({ $refund }) برابر نیست.
error-exchange-credit-misused = اعتبار تعویض فقط بهای فاکتور تازهٔ همان تعویض را می‌پردازد.
error-owner-pin-needed = این کار بهای قطعه را تعیین یا عوض می‌کند؛ رمز مالک لازم است.
error-offline-sale-limit = این فروش ({ $total }) از سقف یک فروش در حالت آفلاین ({ $limit }) بیشتر است؛ رمز مالک لازم است.
error-unsent-total-limit = با این فروش، فروش‌های ارسال‌نشدهٔ این صندوق به { $total } می‌رسد که از سقف { $limit } بیشتر است؛ رمز مالک لازم است.

# Tag labels (اتیکت)
error-label-empty = چیزی برای بارکد نیست.
error-label-unencodable = «{ $code }» در بارکد نمی‌گنجد: نویسهٔ «{ $char }» ({ $codepoint }) حرف، رقم یا نشانهٔ لاتین نیست. برای این قطعه بارکدی با حروف و رقم‌های لاتین ثبت کنید.
error-label-bad-size = اندازهٔ اتیکت «{ $value }» درست نیست؛ پهنا و بلندی را به میلی‌متر بدهید، مثلاً ۵۰×۳۰ (پهنا از { $width_min } تا { $width_max } و بلندی از { $height_min } تا { $height_max }).
error-label-too-narrow = بارکد «{ $code }» دست‌کم { $needed } میلی‌متر جا می‌خواهد، ولی اتیکت برای آن { $width } میلی‌متر دارد؛ اتیکت پهن‌تر یا کد کوتاه‌تری برگزینید.

# Receipt printers
error-printer-unreachable = چاپگر رسید «{ $printer }» در دسترس نیست. روشن بودن و اتصال آن و نشانی‌اش را در تنظیمات بررسی کنید و دوباره چاپ کنید.
error-printer-offline = چاپگر رسید «{ $printer }» آفلاین است: شاید درش باز باشد یا خطایی نشان دهد. چیزی چاپ نشد؛ آن را درست کنید و دوباره چاپ کنید.
error-printer-out-of-paper = کاغذ چاپگر رسید «{ $printer }» تمام شده است. چیزی چاپ نشد؛ رول تازه بگذارید و دوباره چاپ کنید.
error-printer-permission = کاربر این صندوق اجازهٔ استفاده از چاپگر «{ $printer }» را ندارد. از پشتیبانی فنی بخواهید دسترسی بدهد (در لینوکس، گروه lp).
error-printer-cups = سامانهٔ چاپ (CUPS) رسید را برای «{ $printer }» نپذیرفت: { $detail }
error-printer-bad-address = «{ $address }» نشانی چاپگر رسید نیست. نشانی IP (مثل 192.168.1.50 یا 192.168.1.50:9100)، دستگاه USB (/dev/usb/lp0) یا چاپگر CUPS (cups:NAME) را بنویسید.
error-print-image-bad = تصویر رسید چاپ‌شدنی نیست ({ $width } × { $height } نقطه؛ پهنا دست‌بالا ۸۳۲ نقطه). چیزی چاپ نشد.
error-no-printer = چاپگری برای این کار در تنظیمات انتخاب نشده است.
error-print-page-failed = چاپ انجام نشد: { $detail }. نام چاپگر را در تنظیمات بررسی کنید؛ فروش ثبت شده است و می‌توانید دوباره چاپ کنید.
error-invalid-discount = تخفیف «{ $value }» معتبر نیست؛ درصدی با ٪ (مثل ۱۰٪) یا مبلغی به ریال.
error-discount-past-part = تخفیف بیش از اجرت یا سودی است که از آن کم می‌شود.
