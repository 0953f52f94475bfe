//! Reprint the invoice of a sale, with its credit notes (`zargar invoice`).

use crate::{Ctx, Outcome, parse_count};
use zargar_core::Field;
use zargar_core::invoice::{self};

pub(crate) fn invoice(ctx: &Ctx, number: &str) -> Outcome {
    let store = ctx.store()?;
    let no = parse_count(Field::Amount, number)?;
    let sale = store.sale_by_invoice(no)?;
    if ctx.json {
        ctx.print_json(&sale);
    } else {
        let till = store.device()?.name.clone();
        print!("{}", invoice::render_invoice(&sale, &store.legal_blocks(&sale)?, &till, ctx.formatter(&store)?));
        // Its credit notes follow, so a reprint shows what came back.
        for note in store.returns_of_sale(sale.id)? {
            print!("{}", invoice::render_return(&note, &till, ctx.formatter(&store)?));
        }
    }
    Ok(())
}
