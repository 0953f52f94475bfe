# Messages of the headless till, `zargar`.

cli-init-done = صندوق «{ $name }» راه‌اندازی شد.
cli-price-set = قیمت روز ثبت شد: هر گرم طلای ۱۸ عیار { $price }.
cli-price-show = قیمت هر گرم طلای ۱۸ عیار: { $price } (ثبت { $date } ساعت { $time })
cli-price-mazaneh = مظنه: { $mazaneh }
cli-warning-stale-price = هشدار: قیمت طلا { $age } ساعت پیش ثبت شده است (بیش از { $limit } ساعت). قیمت روز را به‌روز کنید.
cli-item-added = کالای «{ $tag }» ثبت شد.
cli-items-imported = { $count } کالا وارد شد.
cli-file-unreadable = فایل «{ $file }» خوانده نمی‌شود.
cli-file-unwritable = در فایل «{ $file }» نوشتن ممکن نیست (شاید از قبل وجود دارد).
cli-customer-added = مشتری «{ $name }» ثبت شد (شناسه { $id }).
cli-sale-saved = فروش شمارهٔ { $number } ذخیره شد.
cli-backup-done = پشتیبان در «{ $file }» ذخیره شد.
cli-cleanup-done = { $removed } عملیات ارسال‌شده حذف شد و متن { $compacted } فروش و مرجوعی ارسال‌شده پاک شد؛ { $kept } عملیات ارسال‌شده کامل نگه داشته شده است (نگهداری: { $days } روز).
cli-status-till = صندوق: { $name }
cli-status-pending = در انتظار ارسال: { $count } عملیات ({ $sales } فروش)
cli-status-oldest = قدیمی‌ترین فروش ارسال‌نشده: { $minutes } دقیقه پیش
cli-status-sales = فروش‌های ثبت‌شده: { $count }
cli-status-price = قیمت طلای ۱۸ عیار: { $price }
cli-journal-ok = دفتر فروش سالم است: { $count } سند.
cli-item-status = وضعیت کالای «{ $tag }»: { $status }
cli-owner-set = مالک این صندوق «{ $name }» است؛ رمز او ثبت شد.
cli-people-saved = «{ $name }» ثبت شد و برای همهٔ صندوق‌های فروشگاه فرستاده می‌شود.
cli-people-left = رفته
cli-owner-show = مالک این صندوق: { $name }
cli-owner-none = هنوز مالکی برای این صندوق تعیین نشده است («zargar owner set»).
cli-resubmit-preview = مبلغ قابل پرداخت از { $old } به { $new } می‌رسد؛ مابه‌التفاوت: { $difference }.

# zargar verify-bundle: a published file against its minisign signature.
cli-bundle-ok = «{ $file }» با امضایش مطابقت دارد.
cli-bundle-signature = امضا: { $signature }
cli-bundle-key-id = شناسهٔ کلید: { $key_id }
cli-bundle-trusted-comment = توضیح امضاشده: { $comment }
cli-bundle-altered = «{ $file }» با امضایش مطابقت ندارد: فایل تغییر کرده است یا امضا با آن نمی‌خواند. آن را نصب نکنید.
cli-bundle-other-key = «{ $file }» با امضایش مطابقت ندارد: امضا با کلید دیگری زده شده است (شناسهٔ کلید { $found }، کلید مورد انتظار { $expected }). آن را نصب نکنید.
cli-bundle-no-signature = «{ $file }» وارسی نشد: فایل امضا پیدا نشد (جست‌وجو شد: { $looked }). آن را نصب نکنید.
cli-bundle-signature-unreadable = «{ $file }» وارسی نشد: امضای «{ $signature }» خواندنی نیست (امضای minisign نیست). آن را نصب نکنید.
cli-bundle-key-unreadable = «{ $file }» وارسی نشد: کلید عمومی «{ $key }» خواندنی نیست (چنین فایلی نیست یا کلید عمومی minisign نیست). آن را نصب نکنید.
cli-bundle-key-secret = «{ $file }» وارسی نشد: «{ $key }» کلید خصوصی است، نه کلید عمومی (فایل .pub را بدهید؛ کلید خصوصی را هرگز به کسی ندهید). آن را نصب نکنید.
cli-bundle-sum-ok = { $name }: با SHA256SUMS مطابقت دارد
cli-bundle-sum-differs = { $name }: با SHA256SUMS مطابقت ندارد (تغییر کرده یا خراب است؛ آن را نصب نکنید)
cli-bundle-sum-unreadable = { $name }: خواندنی نیست؛ وارسی نشد
cli-bundle-sum-absent = { $name }: در این پوشه نیست؛ وارسی نشد
cli-bundle-sum-outside = { $name }: بیرون از این پوشه است؛ وارسی نشد
cli-bundle-sums-failed = «{ $file }» با امضایش مطابقت دارد، اما { $count } فایل از فهرست آن با آن مطابقت ندارد: { $names }. آن‌ها را نصب نکنید.
cli-bundle-sums-malformed = «{ $file }» با امضایش مطابقت دارد، اما سطر { $line } آن در قالب sha256sum (HEX  NAME) نیست؛ فایل‌های فهرست آن وارسی نشدند.
cli-preset-valid = تنظیمات پیش‌فرض { $file } درست است؛ صندوق تازه این‌ها را می‌گیرد:
cli-preset-code-unreadable = هشدار: فایل کد ثبت برای این کاربر نیست یا خالی است.
cli-preset-invalid = تنظیمات پیش‌فرض ⁨{ $path }⁩ درست نیست: سطر { $line }: ⁨{ $problem }⁩

# Printers: zargar printer test|status ADDRESS
cli-printer-test-printed = برگهٔ آزمایشی روی { $printer } چاپ شد: پهنای { $width } نقطه ({ $mm } میلی‌متر)، { $bytes } بایت فرستاده شد.
cli-printer-name = چاپگر: { $printer }
cli-printer-online = وضعیت: آماده (آنلاین)
cli-printer-offline = وضعیت: آفلاین (در باز است، کاغذ تمام شده یا خطایی هست)
cli-printer-online-unknown = وضعیت: گزارش نشد (چاپگر پاسخ نداد، یا از این راه نمی‌شود از آن پرسید)
cli-printer-paper-present = کاغذ: هست
cli-printer-paper-near-end = کاغذ: رو به پایان است؛ رول تازه آماده کنید
cli-printer-paper-out = کاغذ: تمام شده
cli-printer-paper-unknown = کاغذ: گزارش نشد
