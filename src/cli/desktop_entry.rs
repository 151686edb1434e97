//! `examdeck install-desktop-entry`: puts examdeck in the Linux app menu — a freedesktop
//! `.desktop` file and the app icon under `$XDG_DATA_HOME` (`~/.local/share` by default),
//! pointing at the running binary. Both are staged and then moved into place.

use super::Cli;
use anyhow::{Context, bail};
use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// The app icon (256×256 PNG), compiled into the binary.
pub const ICON_PNG: &[u8] = include_bytes!("../../assets/icon.png");

/// Arguments of `examdeck install-desktop-entry`.
#[derive(Debug, Args)]
pub struct DesktopEntryArgs {
    /// Data folder to install into (default: `$XDG_DATA_HOME`, else `~/.local/share`).
    #[arg(long, value_name = "PATH")]
    pub data_home: Option<PathBuf>,
    /// The program the menu entry starts (default: this examdeck binary).
    #[arg(long, value_name = "PATH")]
    pub exec: Option<PathBuf>,
}

/// What was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Installed {
    /// The `.desktop` file.
    pub desktop_file: PathBuf,
    /// The icon.
    pub icon: PathBuf,
}

/// Writes the entry and icon and says where.
pub fn run(_cli: &Cli, args: &DesktopEntryArgs, out: &mut impl Write) -> anyhow::Result<ExitCode> {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        bail!(
            "desktop entries are for Linux desktops; on Windows and macOS start examdeck from \
             where `cargo install` put it (see the README)"
        );
    }
    let data_home = match &args.data_home {
        Some(p) => p.clone(),
        None => default_data_home()?,
    };
    let exec = match &args.exec {
        Some(p) => p.clone(),
        None => std::env::current_exe().context("cannot find the examdeck binary; pass --exec")?,
    };
    let done = install(&data_home, &exec)?;
    writeln!(out, "wrote {}", done.desktop_file.display())?;
    writeln!(out, "wrote {}", done.icon.display())?;
    writeln!(
        out,
        "examdeck is in the app menu (log out and in if your menu does not refresh by itself)"
    )?;
    Ok(ExitCode::SUCCESS)
}

fn default_data_home() -> anyhow::Result<PathBuf> {
    if let Some(p) = std::env::var_os("XDG_DATA_HOME").filter(|p| !p.is_empty()) {
        return Ok(PathBuf::from(p));
    }
    directories::BaseDirs::new()
        .map(|b| b.home_dir().join(".local/share"))
        .context("no home folder found; pass --data-home PATH")
}

/// Writes `applications/examdeck.desktop` and the hicolor 256×256 icon under `data_home`.
pub fn install(data_home: &Path, exec: &Path) -> anyhow::Result<Installed> {
    let apps = data_home.join("applications");
    let icons = data_home.join("icons/hicolor/256x256/apps");
    let desktop_file = apps.join("examdeck.desktop");
    let icon = icons.join("examdeck.png");
    write_staged(&icon, ICON_PNG)?;
    write_staged(&desktop_file, desktop_entry(exec).as_bytes())?;
    Ok(Installed { desktop_file, icon })
}

fn write_staged(target: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    let dir = target.parent().context("the target has no folder")?;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let mut staged = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    staged.write_all(bytes)?;
    staged
        .persist(target)
        .with_context(|| format!("cannot write {}", target.display()))?;
    Ok(())
}

/// The `.desktop` file text (freedesktop Desktop Entry Specification 1.4).
pub fn desktop_entry(exec: &Path) -> String {
    [
        "[Desktop Entry]",
        "Type=Application",
        "Version=1.4",
        "Name=examdeck",
        "GenericName=Exam study",
        "Comment=Study for an exam with spaced repetition, mock exams and a readiness forecast",
        &format!("Exec={}", exec_arg(&exec.to_string_lossy())),
        "Icon=examdeck",
        "Terminal=false",
        "Categories=Education;",
        "Keywords=flashcards;spaced repetition;exam;study;",
        "StartupWMClass=examdeck",
        "",
    ]
    .join("\n")
}

/// One `Exec` argument: quoted when it holds a reserved character, with `"`, `` ` ``, `$` and
/// `\` escaped inside the quotes, `%` doubled, and the backslashes escaped once more because
/// the value is a string of the key file.
fn exec_arg(arg: &str) -> String {
    let reserved = |c: char| " \t\n\"'\\><~|&;$*?#()`".contains(c);
    let arg = arg.replace('%', "%%");
    let quoted = if arg.chars().any(reserved) {
        let mut s = String::from("\"");
        for c in arg.chars() {
            if matches!(c, '"' | '`' | '$' | '\\') {
                s.push('\\');
            }
            s.push(c);
        }
        s.push('"');
        s
    } else {
        arg
    };
    quoted.replace('\\', "\\\\")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_the_entry_and_icon_under_the_data_home() {
        let dir = tempfile::tempdir().expect("tempdir");
        let done = install(dir.path(), Path::new("/opt/my apps/examdeck")).expect("install");
        let text = std::fs::read_to_string(&done.desktop_file).expect("entry");
        assert!(text.starts_with("[Desktop Entry]\n"));
        assert!(
            text.contains("\nExec=\"/opt/my apps/examdeck\"\n"),
            "{text}"
        );
        assert!(text.contains("\nIcon=examdeck\n"));
        assert_eq!(std::fs::read(&done.icon).expect("icon"), ICON_PNG);
        assert!(
            done.icon
                .ends_with("icons/hicolor/256x256/apps/examdeck.png")
        );
        // Installing again replaces both files.
        install(dir.path(), Path::new("/usr/bin/examdeck")).expect("again");
        let text = std::fs::read_to_string(&done.desktop_file).expect("entry");
        assert!(text.contains("\nExec=/usr/bin/examdeck\n"));
    }

    #[test]
    fn exec_arguments_are_escaped() {
        assert_eq!(exec_arg("/usr/bin/examdeck"), "/usr/bin/examdeck");
        assert_eq!(exec_arg("/a b/x"), "\"/a b/x\"");
        assert_eq!(exec_arg("/a$b/x"), "\"/a\\\\$b/x\"");
        assert_eq!(exec_arg("/100%/x"), "/100%%/x");
    }
}
