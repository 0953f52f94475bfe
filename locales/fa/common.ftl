# Common words shared by the CLI, receipts and the UI.
# Ids for enum values are built from the code's snake_case names
# (payment-trade_in, item-status-sold_pending): keep them in step.
# Placeables receive text already formatted by persian.rs (Persian digits,
# ٬ and ٫); don't use NUMBER() or DATETIME() here.

app-name = زرگر

yes = بله
no = خیر

walk-in-customer = مشتری گذری

## Units. Rial is what is stored; Toman (10 rials) is shown when the shop
## chooses it. The unit follows the number.

unit-rial = ریال
unit-toman = تومان
unit-gram = گرم
amount-rial = { $amount } ریال
amount-toman = { $amount } تومان
weight-gram = { $weight } گرم

## Purity

karat-14 = ۱۴ عیار
karat-18 = ۱۸ عیار
karat-21 = ۲۱ عیار
karat-22 = ۲۲ عیار
karat-24 = ۲۴ عیار

## Payment methods

payment-cash = نقدی
payment-card = کارت‌خوان
payment-transfer = انتقال بانکی
payment-exchange_credit = اعتبار تعویض
payment-cheque = چک
payment-account = به حساب مشتری
payment-trade_in = طلای کهنه

## Item status

item-status-in_stock = موجود
item-status-sold_pending = فروخته، در انتظار ارسال
item-status-sold = فروخته‌شده
item-status-reserved = رزروشده
item-status-repair = در تعمیر
item-status-returned = مرجوعی
karat-molten = آبشده

## Where a recorded sale stands with the shop's server

sync-state-pending = در انتظار ارسال
sync-state-acked = ارسال‌شده
sync-state-conflict = تعارض

# Kinds of piece (item::CATEGORIES), stored by code
category-ring = انگشتر
category-necklace = گردنبند
category-bracelet = دستبند
category-bangle = النگو
category-earring = گوشواره
category-pendant = آویز
category-chain = زنجیر
category-set = سرویس
category-anklet = پابند
category-coin = سکه
category-bar = شمش
category-other = سایر
