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
cli-status-till = صندوق: { $name }
cli-status-pending = در انتظار ارسال: { $count } عملیات ({ $sales } فروش)
cli-status-oldest = قدیمی‌ترین فروش ارسال‌نشده: { $minutes } دقیقه پیش
cli-status-sales = فروش‌های ثبت‌شده: { $count }
cli-status-price = قیمت طلای ۱۸ عیار: { $price }
cli-journal-ok = دفتر فروش سالم است: { $count } سند.
cli-item-status = وضعیت کالای «{ $tag }»: { $status }
cli-owner-set = مالک این صندوق «{ $name }» است؛ رمز او ثبت شد.
cli-owner-show = مالک این صندوق: { $name }
cli-owner-none = هنوز مالکی برای این صندوق تعیین نشده است («zargar owner set»).
cli-resubmit-preview = مبلغ قابل پرداخت از { $old } به { $new } می‌رسد؛ مابه‌التفاوت: { $difference }.
