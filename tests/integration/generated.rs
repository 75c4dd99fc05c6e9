//! Generated files are regenerated from what a fresh clone (after `scripts/setup.sh`) has: the
//! attribute-name tables come out of `tools/gen_oid_names.py` exactly as committed.

use std::process::{Command, Stdio};

use crate::common::oracle_missing;

#[test]
fn the_attribute_name_tables_regenerate_byte_for_byte() {
    let root = env!("CARGO_MANIFEST_DIR");
    let obj_mac = "/usr/include/openssl/obj_mac.h";
    if !std::path::Path::new(obj_mac).exists() {
        return oracle_missing("libssl-dev", &format!("{obj_mac} is missing"));
    }
    let generated = match Command::new("python3")
        .arg(format!("{root}/tools/gen_oid_names.py"))
        .stderr(Stdio::null())
        .output()
    {
        Ok(output) if output.status.success() => output.stdout,
        Ok(output) => panic!("gen_oid_names.py failed: {output:?}"),
        Err(error) => return oracle_missing("python3", &error.to_string()),
    };
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("oid_table.rs");
    std::fs::write(&file, generated).unwrap();
    let formatted = Command::new("rustfmt")
        .args(["--edition", "2024"])
        .arg(&file)
        .status();
    match formatted {
        Ok(status) => assert!(status.success(), "rustfmt failed"),
        Err(error) => return oracle_missing("rustfmt", &error.to_string()),
    }
    let committed = std::fs::read_to_string(format!("{root}/src/notation/oid_table.rs")).unwrap();
    assert!(
        std::fs::read_to_string(&file).unwrap() == committed,
        "src/notation/oid_table.rs differs from what tools/gen_oid_names.py generates"
    );
}
