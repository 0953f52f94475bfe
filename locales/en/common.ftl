# Common words shared by the CLI, receipts and the UI.
# Ids for enum values are built from the code's snake_case names
# (payment-trade_in, item-status-sold_pending): keep them in step.
# Placeables receive text already formatted by persian.rs; don't use
# NUMBER() or DATETIME() here.

app-name = Zargar POS

yes = Yes
no = No

walk-in-customer = Walk-in customer

## Units. Rial is what is stored; Toman (10 rials) is shown when the shop
## chooses it.

unit-rial = Rial
unit-toman = Toman
unit-gram = g
amount-rial = { $amount } Rial
amount-toman = { $amount } Toman
weight-gram = { $weight } g

## Purity

karat-14 = 14 karat
karat-18 = 18 karat
karat-21 = 21 karat
karat-22 = 22 karat
karat-24 = 24 karat

## Payment methods

payment-cash = Cash
payment-card = Card
payment-transfer = Bank transfer
payment-exchange_credit = Exchange credit
payment-cheque = Cheque
payment-account = On account
payment-trade_in = Trade-in gold

## Item status

item-status-in_stock = In stock
item-status-sold_pending = Sold (pending)
item-status-sold = Sold
item-status-reserved = Reserved
item-status-repair = In repair
item-status-returned = Returned
karat-molten = molten gold

## Where a recorded sale stands with the shop's server

sync-state-pending = pending
sync-state-acked = synced
sync-state-conflict = conflict

# Kinds of piece (item::CATEGORIES), stored by code
category-ring = Ring
category-necklace = Necklace
category-bracelet = Bracelet
category-bangle = Bangle
category-earring = Earring
category-pendant = Pendant
category-chain = Chain
category-set = Set
category-anklet = Anklet
category-coin = Coin
category-bar = Bar
category-other = Other
