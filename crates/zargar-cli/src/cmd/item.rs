//! Inventory (`zargar item`).

use std::path::PathBuf;
use zargar_core::message_id::MessageId;

use clap::Subcommand;
use zargar_core::error::Arg;
use zargar_core::i18n::messages;
use zargar_core::item::{ItemStatus, NewItemInput};
use zargar_core::store::ItemFilter;
use zargar_core::{Field, StoreError, ValidationError};

use crate::cmd::piece::PieceArgs;
use crate::{Ctx, Failure, Outcome};

#[derive(Debug, Subcommand)]
pub(crate) enum ItemCmd {
    // Negative numbers are values (refused with a clear reason), not flags.
    #[command(allow_negative_numbers = true)]
    Add {
        #[arg(long)]
        tag: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        piece: PieceArgs,
        #[arg(long)]
        barcode: Option<String>,
        #[arg(long)]
        category: Option<String>,
    },
    /// CSV with a header: tag,name,weight,purity,wage_percent,wage_per_gram,barcode,category,stones
    Import {
        file: PathBuf,
    },
    List {
        #[arg(long)]
        search: Option<String>,
        #[arg(long)]
        status: Option<String>,
        #[arg(long)]
        limit: Option<u32>,
    },
    Show {
        code: String,
    },
    /// Put a piece in stock, on hold (reserved), in repair, or returned.
    Status {
        code: String,
        status: String,
    },
}

pub(crate) fn item(ctx: &Ctx, cmd: ItemCmd) -> Outcome {
    let mut store = ctx.store()?;
    let f = ctx.formatter(&store)?;
    match cmd {
        ItemCmd::Add { tag, name, piece, barcode, category } => {
            let PieceArgs { weight, purity, wage, stones } = piece;
            let input = NewItemInput {
                tag,
                name,
                weight,
                purity,
                wage_percent: wage.wage_percent,
                wage_per_gram: wage.wage_per_gram,
                barcode,
                category,
                stones,
            };
            let item = store.add_item(&input.parse()?, ctx.now)?;
            if ctx.json {
                ctx.print_json(&item);
            } else {
                println!("{}", ctx.tf("cli-item-added", &[("tag", Arg::Text(item.tag))]));
            }
        }
        ItemCmd::Import { file } => {
            let reader = std::fs::File::open(&file).map_err(|_| {
                Failure::Message("cli-file-unreadable", vec![("file", Arg::Text(file.display().to_string()))])
            })?;
            let items = store.import_items(std::io::BufReader::new(reader), ctx.now)?;
            if ctx.json {
                ctx.print_json(&serde_json::json!({"imported": items.len()}));
            } else {
                println!("{}", ctx.tf("cli-items-imported", &[("count", Arg::Number(items.len().into()))]));
            }
        }
        ItemCmd::Status { code, status } => {
            let item = store.set_item_status(&code, parse_status(&status)?, ctx.now)?;
            if ctx.json {
                ctx.print_json(&item);
            } else {
                let args = [("tag", Arg::Text(item.tag)), ("status", Arg::Message(item.status.message_id()))];
                println!("{}", ctx.tf("cli-item-status", &args));
            }
        }
        ItemCmd::List { search, status, limit } => {
            let status = status.as_deref().map(parse_status).transpose()?;
            let items = store.list_items(&ItemFilter { search, status, limit })?;
            if ctx.json {
                ctx.print_json(&items);
            } else {
                for i in &items {
                    println!(
                        "{}\t{}\t{}\t{}\t{}",
                        i.tag,
                        i.name,
                        messages(ctx.lang).format("weight-gram", &[("weight", f.number(i.weight.decimal()))]),
                        f.purity(i.purity),
                        ctx.t(&i.status.message_id()),
                    );
                }
            }
        }
        ItemCmd::Show { code } => {
            let item = store.find_item(&code)?.ok_or_else(|| StoreError::ItemNotFound(code.trim().to_owned()))?;
            if ctx.json {
                ctx.print_json(&item);
            } else {
                println!("{} [{}]", item.name, item.tag);
                println!(
                    "  {}",
                    messages(ctx.lang).format("weight-gram", &[("weight", f.number(item.weight.decimal()))])
                );
                println!("  {}", f.purity(item.purity));
                println!("  {}", f.wage_rate(item.wage));
                println!("  {}", ctx.t(&item.status.message_id()));
            }
        }
    }
    Ok(())
}

pub(crate) fn parse_status(s: &str) -> Result<ItemStatus, ValidationError> {
    ItemStatus::from_code(s.trim()).ok_or_else(|| ValidationError::new(Field::ItemStatus, s))
}
