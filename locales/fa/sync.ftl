# همگام‌سازی با سرور فروشگاه: وضعیت‌ها، خطاها، تعارض‌ها و تصمیم مالک.

sync-engine-not-enrolled = به سرور وصل نشده
sync-engine-idle = همگام
sync-engine-syncing = در حال همگام‌سازی
sync-engine-retrying = تلاش دوباره
sync-engine-stopped = متوقف
sync-state-rejected = ردشده توسط سرور
sync-state-voided = باطل‌شده

error-sync-not-enrolled = این صندوق هنوز به سرور فروشگاه وصل نشده است. با کدی که مالک می‌دهد آن را ثبت کنید.
error-sync-bad-server-url = «{ $url }» نشانی سرور نیست؛ مثلاً https://sync.example.ir
error-sync-offline = سرور در دسترس نیست. فروش‌ها روی همین صندوق ذخیره شده‌اند و با برگشتن اتصال ارسال می‌شوند.
error-sync-server-error = سرور با مشکل روبه‌رو شد (کد { $status }). فروش‌ها اینجا ذخیره‌اند و دوباره تلاش می‌شود.
error-sync-slow-down = سرور شلوغ است (کد { $status }). کمی بعد دوباره تلاش می‌شود.
error-sync-unauthorized = سرور دیگر این صندوق را نمی‌پذیرد. با کد تازه دوباره ثبتش کنید؛ داده‌ها می‌مانند.
error-sync-revoked = این صندوق از طرف فروشگاه غیرفعال شده است. داده‌ها همین‌جا می‌مانند و قابل خروجی‌گرفتن‌اند.
error-sync-upgrade-required = سرور نسخهٔ تازه‌تری از این برنامه می‌خواهد. فروش‌های ارسال‌نشده می‌مانند؛ برنامه را به‌روز کنید.
error-sync-malformed = سرور داده‌ها را نامعتبر دانست. به پشتیبانی خبر داده شد؛ فروش‌ها می‌مانند.
error-sync-op-too-large = عملیات { $seq } از حدی که سرور می‌پذیرد بزرگ‌تر است. با پشتیبانی تماس بگیرید؛ چیزی از دست نمی‌رود.
error-sync-outbox-diverged = سوابق این صندوق از عملیات { $seq } به بعد با سرور نمی‌خواند (از نسخهٔ پشتیبان برگردانده شده؟). با پشتیبانی تماس بگیرید؛ چیزی از دست نمی‌رود.
error-sync-enroll-refused = کد ثبت پذیرفته نشد. هر کد یک بار و تا ۱۵ دقیقه کار می‌کند؛ از مالک کد تازه بخواهید.
error-sync-protocol = پاسخ سرور غیرمنتظره بود. دوباره تلاش می‌شود؛ جزئیات نزد پشتیبانی است.

error-other-shop = این صندوق هنوز { $unsent } عملیات ارسال‌نشده برای فروشگاه خودش دارد. پیش از انتقال به فروشگاه دیگر آن‌ها را همگام کنید.
error-resolver-required = نام کسی را که تصمیم می‌گیرد وارد کنید.
error-reason-required = برای پذیرفتن، دلیل لازم است.
error-conflict-not-found = تعارضی برای «{ $op }» نیست.
error-conflict-closed = این تعارض پیش‌تر حل شده است.
error-resolution-pending = تصمیمی برای این تعارض در راه سرور است.
error-not-an-option = «{ $resolution }» راه حل «{ $kind }» نیست.
error-resubmit-elsewhere = فقط صندوقی که این فروش را ثبت کرده می‌تواند آن را ویرایش و دوباره ارسال کند.

conflict-item-already-sold = صندوق دیگری زودتر فروخته است
conflict-item-unknown = کالا در سرور شناخته نیست
conflict-price-out-of-tolerance = نرخ طلا بیرون از حد مجاز فروشگاه
conflict-customer-duplicate = مشتری پیش‌تر ثبت شده است
conflict-item-tag-taken = برچسب مال قطعهٔ دیگری است
conflict-journal-broken = دفتر فروش به سوابق سرور نمی‌پیوندد
conflict-validation-failed = بررسی سرور هم‌خوان نیست
conflict-discount-over-limit = تخفیف بیش از سقف فروشنده، بی‌تأیید مدیر
conflict-balance-overdrawn = حساب مشتری بیش از سقف اعتبارش خرج شده است
conflict-rejected = ردشده توسط سرور

resolution-accept = پذیرفتن
resolution-void = ابطال
resolution-resubmit = ویرایش و ارسال دوباره
resolution-retry = بررسی دوباره

cli-enroll-done = این صندوق به «{ $shop }» وصل شد.
cli-sync-pushing = ارسال: { $done } از { $total }
cli-sync-pulling = دریافت: { $count } تغییر
cli-sync-done = همگام شد: { $applied } پذیرفته، { $conflicts } در تعارض، { $pulled } تغییر دریافت شد.
cli-sync-watch = { $state } · در انتظار { $pending } · تعارض { $conflicts }
cli-conflicts-none = تعارض بازی نیست.
cli-conflict-open = باز
cli-conflict-settled = حل‌شده
cli-conflict-local-sale = فروش شمارهٔ { $number } این صندوق: { $tags }
cli-conflict-server-item = در سرور: { $tag }
cli-conflict-options = راه‌ها: { $options }
cli-conflict-resolved = حل‌شده: { $resolution } به دست { $by }
cli-conflict-refused = سرور تصمیم قبلی را نپذیرفت: { $reason }
cli-conflict-queued = تصمیم ذخیره شد و با همگام‌سازی بعدی ارسال می‌شود.
cli-simulate-done = { $count } فروش آزمایشی ثبت شد.
cli-status-shop = فروشگاه: { $shop } · آخرین همگام‌سازی { $minutes } دقیقه پیش
cli-status-shop-never = فروشگاه: { $shop } · هنوز همگام نشده
cli-status-conflicts = تعارض‌های باز: { $count } (zargar conflicts list)
