//! The files an import writes: each compared with the file already there
//! (a file is written only when its bytes differ) and written through a
//! temporary file and a rename, only when nothing is wrong.

use super::problem::{FileStatus, Problem};
use super::registry::RegistryOutput;
use crate::diag::Code;
use std::path::{Path, PathBuf};

/// A programme file to write.
pub struct ProgrammeOutput {
    /// The file.
    pub path: PathBuf,
    /// Its text.
    pub text: String,
    /// The bytes of the file there now, if any.
    pub existing: Option<Vec<u8>>,
}

impl ProgrammeOutput {
    /// New, changed or unchanged.
    pub fn status(&self) -> FileStatus {
        match &self.existing {
            None => FileStatus::Created,
            Some(b) if b.as_slice() == self.text.as_bytes() => FileStatus::Unchanged,
            Some(_) => FileStatus::Changed,
        }
    }
}

/// Writes the registries and the programme files that are new or changed;
/// a failure is an E113 at the file.
pub fn write(
    programmes: &[ProgrammeOutput],
    registries: &[RegistryOutput],
    problems: &mut Vec<Problem>,
) {
    let registries = registries.iter().map(|r| (&r.path, &r.text));
    let changed = programmes
        .iter()
        .filter(|p| p.status() != FileStatus::Unchanged)
        .map(|p| (&p.path, &p.text));
    for (path, text) in registries.chain(changed) {
        if let Err(e) = write_file(path, text.as_bytes()) {
            problems.push(Problem::new(
                Code::E113,
                &path.display().to_string(),
                0,
                0,
                format!("cannot write: {e}"),
                vec![],
            ));
        }
    }
}

/// Writes through a temporary file in the same folder, then renames.
fn write_file(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".mieruka-import.tmp");
    let tmp = PathBuf::from(tmp);
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}
