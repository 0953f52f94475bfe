//! Check a fleet preset before rolling it out (`zargar preset`).

use std::path::PathBuf;

use zargar_core::error::Arg;

use crate::{Ctx, Failure};

/// What a fleet preset sets, or the line that is wrong in it.
pub(crate) fn preset(ctx: &Ctx, file: Option<PathBuf>) -> Result<(), Failure> {
    let path = file.unwrap_or_else(zargar_core::preset::path);
    let p = match zargar_core::preset::read(&path) {
        Err(e) => return Err(Failure::Message("cli-preset-invalid", e.args())),
        Ok(None) => {
            return Err(Failure::Message("cli-file-unreadable", vec![("file", Arg::Text(path.display().to_string()))]));
        }
        Ok(Some(p)) => p,
    };
    let fields = [
        ("server_url", p.server_url.clone()),
        ("language", p.language.map(|l| l.code().to_owned())),
        ("display_unit", p.display_unit.map(|u| u.code().to_owned())),
        ("update_endpoint", p.update_endpoint.clone()),
        ("enrolment_code_file", p.enrolment_code_file.as_ref().map(|f| f.display().to_string())),
        ("till_name", p.till_name.clone()),
    ];
    if ctx.json {
        let map: serde_json::Map<String, serde_json::Value> = fields
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone().map_or(serde_json::Value::Null, Into::into)))
            .collect();
        ctx.print_json(
            &serde_json::json!({"file": path, "preset": map, "enrolment_code_readable": p.enrolment_code().is_some()}),
        );
    } else {
        println!("{}", ctx.tf("cli-preset-valid", &[("file", Arg::Text(path.display().to_string()))]));
        for (key, value) in fields.iter().filter_map(|(k, v)| v.as_ref().map(|v| (k, v))) {
            println!("  {key} = {value}");
        }
        if p.enrolment_code_file.is_some() && p.enrolment_code().is_none() {
            println!("{}", ctx.t("cli-preset-code-unreadable"));
        }
    }
    Ok(())
}
