# The shop's people: roles, what each may do, signing in.

role-owner = مالک
role-manager = مدیر
role-cashier = صندوق‌دار

act-sell = فروش
act-return-same-day = مرجوعی فروش همان روز
act-return-any = مرجوعی فروش روزهای پیش
act-add-customer = افزودن مشتری
act-shift = باز و بستن شیفت
act-approve-discount = تأیید تخفیف بیش از سقف
act-set-price = تعیین نرخ طلا
act-edit-inventory = ویرایش موجودی
act-settings = تنظیمات
act-conflicts = رسیدگی به ناسازگاری‌ها
act-people = مدیریت کارکنان
act-reports = گزارش‌های فروشگاه
act-override-limit = گذر از سقف فروش آفلاین

error-pin-weak = رمز باید ۴ تا ۸ رقم باشد.
error-pin-wrong = رمز درست نیست.
error-pin-throttled = چند بار رمز اشتباه وارد شد؛ { $seconds } ثانیه دیگر دوباره تلاش کنید.
error-person-unknown = کسی به نام «{ $name }» در فروشگاه نیست.
error-person-ambiguous = بیش از یک نفر به نام «{ $name }» در فروشگاه هست؛ نام‌ها را از هم جدا کنید.
error-person-name-required = نام را وارد کنید.
error-first-person-is-owner = نخستین فرد فروشگاه مالک آن است.
error-last-owner = تنها مالک فروشگاه نمی‌تواند نقش خود را واگذارد یا کنار برود.
error-discount-limit-out-of-range = سقف تخفیف باید از ۰ تا ۱۰۰ درصد باشد.
error-sign-in-needed = اول با رمز خود وارد شوید.
error-not-permitted = { $role } اجازهٔ { $act } را ندارد؛ کسی با نقش بالاتر باید وارد شود.

sign-in-title = ورود به صندوق
sign-in-intro = کارکنان فروشگاه هر کدام با رمز خود وارد صندوق «{ $till }» می‌شوند.
sign-in-who = چه کسی پشت صندوق است؟
sign-in-pin = رمز { $name }
sign-in-go = ورود
sign-in-switch = تعویض کاربر
error-discount-over-limit = تخفیف این فروش { $percent }٪ از اجرت و سود است و از سقف فروشنده ({ $limit }٪) بیشتر است؛ رمز مدیر لازم است.
settings-tab-people = افراد
people-title = افراد فروشگاه
people-name = نام
people-role = نقش
people-limit = سقف تخفیف (٪)
people-state = وضعیت
people-active = فعال
people-left = رفته
people-add = افزودن فرد
people-edit = ویرایش «{ $name }»
people-pin = رمز (۴ تا ۸ رقم)
people-pin-new = رمز تازه (خالی: همان رمز)
people-owner-pin = رمز مالک، برای ثبت
people-save = ثبت و ارسال به همهٔ صندوق‌ها
people-saved = «{ $name }» ثبت شد.
act-customer-account = دریافت و پرداخت حساب مشتری
act-convert-gold = تبدیل طلا و ریال حساب مشتری
act-credit-limit = تعیین سقف اعتبار مشتری
