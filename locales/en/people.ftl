# The shop's people: roles, what each may do, signing in.

role-owner = owner
role-manager = manager
role-cashier = cashier

act-sell = selling
act-return-same-day = returns of the same day
act-return-any = returns of earlier days
act-add-customer = adding customers
act-shift = opening and closing shifts
act-approve-discount = approving discounts past the limit
act-set-price = setting the gold price
act-edit-inventory = editing the inventory
act-settings = settings
act-conflicts = settling conflicts
act-people = managing the shop's people
act-reports = the shop's reports
act-override-limit = passing the offline sale limits

error-pin-weak = A PIN is 4 to 8 digits.
error-pin-wrong = The PIN is not right.
error-pin-throttled = Too many wrong PINs; try again in { $seconds } seconds.
error-person-unknown = No one in the shop is called "{ $name }".
error-person-ambiguous = More than one person in the shop is called "{ $name }"; give them distinct names.
error-person-name-required = Enter a name.
error-first-person-is-owner = The first person of a shop is its owner.
error-last-owner = The shop's only owner cannot hand over the role or leave.
error-discount-limit-out-of-range = A discount limit is from 0 to 100 percent.
error-sign-in-needed = Sign in with your PIN first.
error-not-permitted = A { $role } may not do { $act }; someone with a higher role must sign in.

sign-in-title = Sign in to the till
sign-in-intro = Each of the shop's people signs in to { $till } with their own PIN.
sign-in-who = Who is at the counter?
sign-in-pin = { $name }'s PIN
sign-in-go = Sign in
sign-in-switch = switch person
error-discount-over-limit = This sale's discount is { $percent }% of the making charge and profit, past the seller's limit of { $limit }%; a manager's PIN is needed.
settings-tab-people = People
people-title = The shop's people
people-name = Name
people-role = Role
people-limit = Discount limit (%)
people-state = State
people-active = Active
people-left = Left
people-add = Add a person
people-edit = Change "{ $name }"
people-pin = PIN (4 to 8 digits)
people-pin-new = New PIN (empty: keep it)
people-owner-pin = The owner's PIN, to save
people-save = Save and send to every till
people-saved = "{ $name }" is saved.
act-customer-account = payments and credit on a customer's account
act-convert-gold = converting a customer's gold and Rials
act-credit-limit = setting a customer's credit limit
