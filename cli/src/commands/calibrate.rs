//! `lintas calibrate`: pick the match threshold for a target FAR and save it.

use clap::Args;

use super::eval::PairsArgs;
use crate::error::CliError;
use crate::eval::metrics::{roc, tar_at_far};

/// Arguments of `lintas calibrate`.
#[derive(Args)]
pub struct CalibrateArgs {
    #[command(flatten)]
    pairs: PairsArgs,
    /// Target false-accept rate.
    #[arg(long, default_value_t = 1e-3)]
    far: f64,
}

/// Writes the threshold into the settings file named by `--config`.
pub fn run(args: CalibrateArgs) -> Result<(), CliError> {
    if !(0.0..1.0).contains(&args.far) {
        return Err(CliError::Invalid(format!(
            "--far must be in [0, 1), not {}",
            args.far
        )));
    }
    let (engine, scores) = args.pairs.score()?;
    let negatives = scores.pairs.iter().filter(|p| !p.same).count();
    if (negatives as f64) * args.far < 1.0 {
        eprintln!(
            "warning: {negatives} different-person pairs cannot resolve a FAR of {:e}; \
             the threshold is the one that accepts none of them",
            args.far
        );
    }
    let point = tar_at_far(&roc(&scores.pairs), args.far);
    let mut settings = args.pairs.engine.settings()?;
    settings.matching.threshold = point.threshold;
    settings.save(&args.pairs.engine.config)?;
    println!(
        "threshold {:.4} (TAR {:.4} at FAR {:e}, model {}) written to {}",
        point.threshold,
        point.tar,
        args.far,
        engine.model_id(),
        args.pairs.engine.config.display()
    );
    Ok(())
}
