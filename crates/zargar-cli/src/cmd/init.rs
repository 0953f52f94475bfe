//! Set this till up (`zargar init`).

use zargar_core::error::Arg;
use zargar_core::{Store, StoreError};

use crate::{Ctx, Outcome};

pub(crate) fn init(ctx: &Ctx, name: &str) -> Outcome {
    std::fs::create_dir_all(&ctx.data_dir).map_err(StoreError::from)?;
    let mut store = Store::open(&ctx.db_path())?;
    let device = store.init_device(name, ctx.now)?;
    if ctx.json {
        ctx.print_json(&serde_json::json!({"device": device, "data_dir": ctx.data_dir}));
    } else {
        println!("{}", ctx.tf("cli-init-done", &[("name", Arg::Text(device.name.clone()))]));
    }
    Ok(())
}
