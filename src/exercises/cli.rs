//! The exercises' commands, as `cargo run -- <command>` takes them.

use std::path::Path;
use std::process::ExitCode;

use super::{catalog, check, course_root, edition, progress};

/// What `cargo run -- --help` says about these commands.
pub const HELP: &str = "\
The exercises:
  cargo run -- progress [N]          where you stand, chapter by chapter (or chapter N),
                                     and the next exercise with its first hint
  cargo run -- hint exNN.M [K]       an exercise's task and its first K hints (K = 1)
  cargo run -- student DIR [--from N]
                                     write the student edition into DIR: the exercises
                                     of chapters N to 6 (N = 1) become todo!s
  cargo run -- check-exercises [--chapter N]
                                     the gate CI runs on the exercises (for authors)
";

/// Runs the command named by `args[0]` if it is one of the exercises'; `None` otherwise.
pub fn run(args: &[String]) -> Option<ExitCode> {
    let root = course_root();
    let rest = &args[1.min(args.len())..];
    let result = match args.first()?.as_str() {
        "progress" => number(rest.first())
            .and_then(|n| progress::progress(&root, n))
            .map(|r| print!("{r}")),
        "hint" => hint(&root, rest),
        "student" => student(&root, rest),
        "check-exercises" => match rest {
            [] => check(&root, None),
            [flag, n] if flag == "--chapter" => number(Some(n)).and_then(|n| check(&root, n)),
            _ => Err("usage: cargo run -- check-exercises [--chapter N]".into()),
        },
        _ => return None,
    };
    Some(match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tornado-course: {message}");
            ExitCode::FAILURE
        }
    })
}

/// A chapter number, `3` or `03`, if given.
fn number(arg: Option<&String>) -> Result<Option<u8>, String> {
    arg.map(|a| {
        a.parse::<u8>()
            .map_err(|_| format!("a chapter is a number (0 to 6), not '{a}'"))
    })
    .transpose()
}

fn hint(root: &Path, rest: &[String]) -> Result<(), String> {
    let (id, k) = match rest {
        [id] => (id, 1),
        [id, k] => (
            id,
            k.parse()
                .map_err(|_| format!("the hint's number is a number, not '{k}'"))?,
        ),
        _ => return Err("usage: cargo run -- hint exNN.M [K]".into()),
    };
    print!("{}", progress::hint(root, id, k)?);
    Ok(())
}

fn student(root: &Path, rest: &[String]) -> Result<(), String> {
    let (dir, from) = match rest {
        [dir] => (dir, 1),
        [dir, flag, n] if flag == "--from" => (dir, number(Some(n))?.unwrap_or(1)),
        _ => return Err("usage: cargo run -- student DIR [--from N]".into()),
    };
    if !(1..=6).contains(&from) {
        return Err(format!(
            "--from takes a chapter with exercises, 1 to 6, not {from}"
        ));
    }
    let dest = Path::new(dir);
    if dest.exists() && dest.read_dir().map_err(|e| e.to_string())?.next().is_some() {
        return Err(format!("{dir} is not empty: choose a new folder"));
    }
    let exercises = catalog::all(root)?;
    if edition::scan(root)?.is_empty() {
        return Err("this copy has no solutions left to hide (a student edition already?)".into());
    }
    let count = edition::write_student(root, dest, from, &exercises)?;
    let handed: Vec<&str> = exercises
        .iter()
        .filter(|e| e.chapter >= from)
        .map(|e| e.id.as_str())
        .collect();
    println!(
        "Wrote the student edition into {dir}: {count} exercises to do ({} to {}).\n\
         Start there with: cd {dir} && cargo run -- progress",
        handed.first().unwrap_or(&"-"),
        handed.last().unwrap_or(&"-"),
    );
    Ok(())
}

fn check(root: &Path, chapter: Option<u8>) -> Result<(), String> {
    check::check(root, chapter).map_err(|problems| {
        let mut message = format!("check-exercises found {} problems:\n", problems.len());
        for problem in problems {
            message += &format!("\n- {problem}\n");
        }
        message
    })
}
