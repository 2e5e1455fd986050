//! `lintas eval-identify --root DIR`: open-set 1:N evaluation. A share of the identities is
//! enrolled through the real enrollment path (quality gates, liveness when asked, duplicate
//! check), other identities are withheld as people never enrolled, and the rest of the
//! photos are sent as kiosk punches through the real punch path, plain and with a claimed
//! identity. The same photos, embedded once, give the rates against the gallery's size, the
//! DET curves and the template strategies.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use clap::Args;
use futures::StreamExt;
use lintas_core::app::{
    App, AppConfig, AppError, EnrollmentOptions, EnrollmentOutcome, KioskMode, KioskOutcome,
    NewEmployee, Photo, Principal, PunchInput,
};
use lintas_core::domain::{Id, Role};
use lintas_face::decision::DecisionPolicy;
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::print_json;
use crate::error::CliError;
use crate::eval::identify::{
    GalleryVectors, Person, Rates, Strategy, at_fpir, at_operating_point, det, outcomes, refreshed,
};
use crate::eval::identities::{Identity, Split, embed_all, identities};
use crate::eval::plot;
use crate::options::{EngineOptions, engine_from, read_image};

/// Arguments of `lintas eval-identify`.
#[derive(Args)]
pub struct EvalIdentifyArgs {
    /// Folder of labelled photos (`identity/photo`).
    #[arg(long)]
    root: PathBuf,
    /// Which identities of the folder to use (`holdout`: never the ones calibrated on).
    #[arg(long, value_enum, default_value_t = Split::Holdout)]
    split: Split,
    /// People enrolled.
    #[arg(long, default_value_t = 300)]
    people: usize,
    /// Photos enrolled per person (each enrolled person keeps at least one more as a probe).
    #[arg(long, default_value_t = 1)]
    photos_per_person: usize,
    /// People never enrolled, whose photos are sent as impostors.
    #[arg(long, default_value_t = 100)]
    impostors: usize,
    /// Most probe photos per person.
    #[arg(long, default_value_t = 3)]
    probes_per_person: usize,
    /// Check enrollment photos and punches for liveness (off: the photos are not live
    /// captures, and liveness is measured by `lintas pad-eval`).
    #[arg(long)]
    liveness: bool,
    /// Print one JSON object instead of a summary.
    #[arg(long)]
    json: bool,
    /// Write the DET curves (one per gallery size) as a PNG.
    #[arg(long)]
    det_png: Option<PathBuf>,
    #[command(flatten)]
    engine: EngineOptions,
}

/// The people of an evaluation: enrolled with their enrollment and probe photos, and
/// withheld with their probe photos.
struct Cast {
    enrolled: Vec<(Identity, Vec<PathBuf>, Vec<PathBuf>)>,
    withheld: Vec<(Identity, Vec<PathBuf>)>,
}

/// What happened to the probes of one kind through the API path. Rates are shares of the
/// probes the quality gates let through (the face decisions' own rates); the quality
/// refusals are counted apart.
#[derive(Clone, Debug, Default, Serialize)]
struct Tally {
    sent: usize,
    recorded_as_self: usize,
    recorded_as_other: usize,
    confirm_asked_self: usize,
    confirm_asked_other: usize,
    refused_no_match: usize,
    refused_other: BTreeMap<String, usize>,
}

impl Tally {
    fn count(&mut self, truth: Option<&str>, result: &Result<KioskOutcome, AppError>) {
        self.sent += 1;
        let own = |id: &Id| Some(id.as_str()) == truth;
        match result {
            Ok(KioskOutcome::Recorded(punch)) if own(&punch.employee_id) => {
                self.recorded_as_self += 1
            }
            Ok(KioskOutcome::Recorded(_)) => self.recorded_as_other += 1,
            Ok(KioskOutcome::Confirm(c)) if own(&c.employee_id) => self.confirm_asked_self += 1,
            Ok(KioskOutcome::Confirm(_)) => self.confirm_asked_other += 1,
            Err(e) if matches!(e.code(), "no_match" | "ambiguous_match" | "face_mismatch") => {
                self.refused_no_match += 1
            }
            Err(e) => *self.refused_other.entry(e.code().to_owned()).or_default() += 1,
        }
    }

    /// Probes the face decisions saw: those the quality gates let through.
    fn analyzed(&self) -> usize {
        self.sent - self.refused_other.values().sum::<usize>()
    }

    /// `count` as a share of the probes the face decisions saw.
    fn share(&self, count: usize) -> f64 {
        count as f64 / self.analyzed().max(1) as f64
    }
}

/// Runs the evaluation and prints the report.
pub fn run(args: EvalIdentifyArgs) -> Result<(), CliError> {
    let settings = args.engine.settings()?;
    let decisions = settings.rules.decisions.clone();
    let cast = cast(&args)?;
    let engine = Arc::new(engine_from(&settings)?);
    let api = super::async_runtime()?.block_on(through_api(&args, &cast, &settings, &engine))?;
    let offline = offline(&args, &cast, &engine, &decisions)?;
    let report = json!({
        "model": engine.model_id(),
        "root": args.root,
        "split": format!("{:?}", args.split),
        "mirror": settings.engine.mirror_average,
        "liveness": args.liveness,
        "through_the_api": api,
        "offline": offline,
    });
    if args.json {
        print_json(&report)
    } else {
        print_summary(&report);
        Ok(())
    }
}

/// Chooses the enrolled and withheld people by a hash of their names.
fn cast(args: &EvalIdentifyArgs) -> Result<Cast, CliError> {
    let mut people = identities(&args.root, args.split)?;
    people.sort_by_key(|p| Sha256::digest(p.name.as_bytes()).to_vec());
    let k = args.photos_per_person.max(1);
    let (mut enrolled, mut withheld) = (Vec::new(), Vec::new());
    for person in people {
        if enrolled.len() < args.people && person.photos.len() > k {
            let photos = person.photos.clone();
            let probes = photos[k..]
                .iter()
                .take(args.probes_per_person)
                .cloned()
                .collect();
            enrolled.push((person, photos[..k].to_vec(), probes));
        } else if withheld.len() < args.impostors {
            let probes = person
                .photos
                .iter()
                .take(args.probes_per_person)
                .cloned()
                .collect();
            withheld.push((person, probes));
        }
    }
    if enrolled.len() < 2 || withheld.is_empty() {
        return Err(CliError::Invalid(
            "the folder needs at least two people with more photos than are enrolled, and \
             one more person to withhold"
                .into(),
        ));
    }
    Ok(Cast { enrolled, withheld })
}

/// Enrolls and probes through the application over a fresh local store.
async fn through_api(
    args: &EvalIdentifyArgs,
    cast: &Cast,
    settings: &lintas_engine::Settings,
    engine: &Arc<lintas_engine::FaceEngine>,
) -> Result<serde_json::Value, CliError> {
    let data = std::env::temp_dir().join(format!("lintas-eval-identify-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let fail = |what: &str| {
        let what = what.to_owned();
        move |e: AppError| CliError::Invalid(format!("{what}: {e}"))
    };
    let mut secret = vec![0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| CliError::Invalid(format!("random: {e}")))?;
    let mut config =
        AppConfig::with_secret(secret).map_err(|e| CliError::Invalid(format!("settings: {e}")))?;
    config.login.bcrypt_cost = 4;
    config.attendance.repeat_window = Duration::ZERO;
    let faces = &mut config.faces;
    faces.kiosk_mode = KioskMode::Auto;
    faces.liveness = args.liveness;
    faces.max_employee_failures = 1_000;
    faces.max_device_failures = 100_000;
    let local = lintas_local::bootstrap::open(&data, "http://127.0.0.1", config)
        .map_err(|e| CliError::Invalid(e.to_string()))?;
    let engine: Arc<dyn lintas_face::FaceAnalyzer> = engine.clone();
    let app = local
        .app
        .with_face_engine(engine, settings.rules.clone())
        .await
        .map_err(fail("loading the gallery"))?;
    app.bootstrap("kopi tubruk 42")
        .await
        .map_err(fail("admin"))?;
    let admin = Id::parse("admin").map_err(|e| CliError::Invalid(e.to_string()))?;
    let kiosk = create(&app, &admin, "eval-kiosk", "Kiosk", Role::Kiosk).await?;
    let mut ids = Vec::with_capacity(cast.enrolled.len());
    let mut enrollment = BTreeMap::<String, usize>::new();
    for (index, (person, photos, _)) in cast.enrolled.iter().enumerate() {
        let id = format!("p{index:05}");
        create(&app, &admin, &id, &person.name, Role::Employee).await?;
        let photos = photos.iter().map(|p| read_photo(&app, p)).collect();
        let options = EnrollmentOptions {
            accept_printed: !args.liveness,
            look_alike_of: Vec::new(),
        };
        for outcome in app
            .enroll_photos(&admin, &id, photos, options)
            .await
            .map_err(fail("enrolling"))?
        {
            let key = match outcome {
                EnrollmentOutcome::Accepted { .. } => "accepted".to_owned(),
                EnrollmentOutcome::Flagged { .. } => "flagged_as_duplicate".to_owned(),
                EnrollmentOutcome::Rejected { code, .. } => format!("rejected_{code}"),
            };
            *enrollment.entry(key).or_default() += 1;
        }
        let enrolled = !app
            .templates(&id)
            .await
            .map_err(fail("templates"))?
            .is_empty();
        ids.push((id, enrolled));
    }
    let attempted = cast.enrolled.len() * args.photos_per_person.max(1);
    let duplicates = enrollment.get("flagged_as_duplicate").copied().unwrap_or(0)
        + enrollment
            .get("rejected_face_already_enrolled")
            .copied()
            .unwrap_or(0);
    let (points, _) = app.operating_points().await.map_err(fail("points"))?;

    // Genuine probes (plain, then claiming their own id); impostors (plain, then claiming an
    // enrolled id).
    // People whose enrollment photos were all refused are never enrolled: their photos are
    // sent as impostors', beside the withheld people's.
    let enrolled_ids: Vec<&String> = ids.iter().filter(|(_, e)| *e).map(|(id, _)| id).collect();
    if enrolled_ids.is_empty() {
        return Err(CliError::Invalid("no photo could be enrolled".into()));
    }
    let mut probes: Vec<(Option<String>, PathBuf, Option<String>)> = Vec::new();
    let mut strangers: Vec<&PathBuf> = cast.withheld.iter().flat_map(|(_, p)| p).collect();
    for ((_, _, photos), (id, enrolled)) in cast.enrolled.iter().zip(&ids) {
        for photo in photos {
            if *enrolled {
                probes.push((Some(id.clone()), photo.clone(), None));
                probes.push((Some(id.clone()), photo.clone(), Some(id.clone())));
            } else {
                strangers.push(photo);
            }
        }
    }
    for (index, photo) in strangers.into_iter().enumerate() {
        probes.push((None, photo.clone(), None));
        let claimed = enrolled_ids[index % enrolled_ids.len()].clone();
        probes.push((None, photo.clone(), Some(claimed)));
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let app = &app;
    let kiosk = &kiosk;
    let results: Vec<_> = futures::stream::iter(probes)
        .map(|(truth, photo, claim)| async move {
            let input = PunchInput {
                photos: read_photo(app, &photo).into_iter().collect(),
                challenge_id: None,
                claim: claim.clone(),
                device: Some("evaluation".into()),
                location: None,
                idempotency_key: None,
            };
            let result = if input.photos.is_empty() {
                Err(AppError::invalid(
                    "unreadable",
                    "the photo could not be read",
                ))
            } else {
                app.kiosk_punch(kiosk, input).await
            };
            (truth, claim.is_some(), result)
        })
        .buffer_unordered(cores)
        .collect()
        .await;
    let (mut genuine, mut genuine_claimed, mut impostor, mut impostor_claimed) = (
        Tally::default(),
        Tally::default(),
        Tally::default(),
        Tally::default(),
    );
    for (truth, claimed, result) in &results {
        let tally = match (truth.is_some(), claimed) {
            (true, false) => &mut genuine,
            (true, true) => &mut genuine_claimed,
            (false, false) => &mut impostor,
            (false, true) => &mut impostor_claimed,
        };
        tally.count(truth.as_deref(), result);
    }
    let _ = std::fs::remove_dir_all(&data);
    Ok(json!({
        "people_offered": cast.enrolled.len(),
        "people_enrolled": enrolled_ids.len(),
        "photos_per_person": args.photos_per_person,
        "withheld_people": cast.withheld.len(),
        "enrollment": enrollment,
        "operating_points": points,
        "quality_refusals_of_enrolled_probes": 1.0 - genuine.analyzed() as f64 / genuine.sent.max(1) as f64,
        "targets": {
            "never_enrolled_recorded_as_someone": impostor.share(impostor.recorded_as_other),
            "enrolled_recorded_as_another_person": genuine.share(genuine.recorded_as_other),
            "distinct_new_people_refused_or_flagged": duplicates as f64 / attempted.max(1) as f64,
            "enrolled_identified_in_one_shot": genuine.share(genuine.recorded_as_self),
            "enrolled_identified_with_confirmation": genuine.share(genuine.recorded_as_self + genuine.confirm_asked_self),
            "claimed_identity_accepted": genuine_claimed.share(genuine_claimed.recorded_as_self),
            "false_claims_accepted": impostor_claimed.share(impostor_claimed.recorded_as_other),
            "never_enrolled_shown_a_candidate": impostor.share(impostor.confirm_asked_other),
        },
        "genuine": genuine,
        "genuine_claimed": genuine_claimed,
        "impostor": impostor,
        "impostor_claimed": impostor_claimed,
    }))
}

/// Creates an account through the use case.
async fn create(
    app: &App,
    admin: &Id,
    id: &str,
    name: &str,
    role: Role,
) -> Result<Principal, CliError> {
    let new = NewEmployee {
        id: id.to_owned(),
        name: name.chars().filter(|c| !c.is_control()).take(100).collect(),
        email: None,
        staff_number: None,
        role,
        office_id: None,
        on_roll: None,
        password: None,
        supervisor_id: None,
        admin_offices: None,
    };
    app.create_employee(admin, new)
        .await
        .map_err(|e| CliError::Invalid(format!("creating {id}: {e}")))?;
    app.principal(id)
        .await
        .map_err(|e| CliError::Invalid(format!("{id}: {e}")))
}

fn read_photo(app: &App, path: &Path) -> Result<Photo, AppError> {
    let bytes = read_image(path).map_err(|e| AppError::invalid("unreadable", e.to_string()))?;
    Photo::new(bytes, app.config().uploads.max_photo_bytes)
}

/// The measurements on embeddings: rates at the shipped operating point against the
/// gallery's size, DET curves, and the template strategies at FPIR 1%.
fn offline(
    args: &EvalIdentifyArgs,
    cast: &Cast,
    engine: &lintas_engine::FaceEngine,
    decisions: &DecisionPolicy,
) -> Result<serde_json::Value, CliError> {
    let mut paths: Vec<&Path> = Vec::new();
    for (person, _, _) in &cast.enrolled {
        paths.extend(person.photos.iter().map(PathBuf::as_path));
    }
    for (_, probes) in &cast.withheld {
        paths.extend(probes.iter().map(PathBuf::as_path));
    }
    let (embedded, _failed) = embed_all(engine, &paths, false);
    let vectors = |photos: &[PathBuf]| -> Person {
        photos
            .iter()
            .filter_map(|p| embedded.get(p).map(|e| e.vector().to_vec()))
            .collect()
    };
    let enrolled: Vec<Person> = cast
        .enrolled
        .iter()
        .map(|(p, _, _)| vectors(&p.photos))
        .collect();
    let impostor_vectors: Vec<Vec<f32>> = cast
        .withheld
        .iter()
        .flat_map(|(_, probes)| vectors(probes))
        .collect();
    let impostors: Vec<&[f32]> = impostor_vectors.iter().map(Vec::as_slice).collect();
    let k = args.photos_per_person.max(1);

    // Against the gallery's size: the first `size` enrolled people, k templates each, scored
    // through their mean as the service does.
    let mut sizes: Vec<usize> = [25, 50, 100, 200, 300, 500, 1000, 2000]
        .into_iter()
        .filter(|s| *s < enrolled.len())
        .collect();
    sizes.push(enrolled.len());
    let mut by_size = Vec::new();
    let mut curves = Vec::new();
    for size in sizes {
        let people: Vec<&Person> = enrolled[..size].iter().filter(|p| p.len() > k).collect();
        let gallery = GalleryVectors::build(&people, k, Strategy::Mean);
        let genuine: Vec<(usize, &[f32])> = people
            .iter()
            .enumerate()
            .flat_map(|(i, p)| {
                p[k..]
                    .iter()
                    .take(args.probes_per_person)
                    .map(move |v| (i, v.as_slice()))
            })
            .collect();
        let all = outcomes(&gallery, &genuine, &impostors);
        let shipped = at_operating_point(&all, &gallery, decisions);
        curves.push(
            det(&all, decisions.identify_margin)
                .iter()
                .map(|r| (r.fpir, r.fnir))
                .collect(),
        );
        by_size.push(json!({
            "people": gallery.len(),
            "at_shipped_operating_point": shipped,
            "at_fpir_1pct": at_fpir(&all, decisions.identify_margin, 0.01),
            "rank1": shipped.rank1,
        }));
    }
    if let Some(path) = &args.det_png {
        plot::det_png(&curves)
            .save(path)
            .map_err(|e| CliError::Invalid(format!("{}: {e}", path.display())))?;
    }
    Ok(json!({
        "by_gallery_size": by_size,
        "templates_at_fpir_1pct": strategies(&enrolled, &impostors, decisions),
    }))
}

/// TPIR at FPIR 1% for one to three templates per person (best-of and mean), and for one
/// template refreshed from confident matches, on the same probes (each person's fourth
/// photo onwards).
fn strategies(
    enrolled: &[Person],
    impostors: &[&[f32]],
    decisions: &DecisionPolicy,
) -> Vec<serde_json::Value> {
    let people: Vec<&Person> = enrolled.iter().collect();
    let probes = |from: usize, half: Option<bool>| -> Vec<(usize, &[f32])> {
        people
            .iter()
            .enumerate()
            .flat_map(|(i, p)| {
                let tail: Vec<&Vec<f32>> = p.iter().skip(from).collect();
                let split = tail.len() / 2;
                tail.into_iter()
                    .enumerate()
                    .filter(move |(j, _)| half.is_none_or(|first| (*j < split) == first))
                    .map(move |(_, v)| (i, v.as_slice()))
            })
            .collect()
    };
    let margin = decisions.identify_margin;
    let rates_of = |gallery: &GalleryVectors, genuine: &[(usize, &[f32])]| -> Rates {
        at_fpir(&outcomes(gallery, genuine, impostors), margin, 0.01)
    };
    let genuine = probes(3, None);
    let mut rows = Vec::new();
    for k in 1..=3 {
        for strategy in [Strategy::BestOf, Strategy::Mean] {
            if k == 1 && strategy == Strategy::Mean {
                continue;
            }
            let gallery = GalleryVectors::build(&people, k, strategy);
            let r = rates_of(&gallery, &genuine);
            rows.push(json!({"templates": k, "strategy": strategy, "probes": genuine.len(), "tpir": 1.0 - r.fnir, "rates": r}));
        }
    }
    // Refresh: the first half of each person's probes is the stream that may add templates;
    // both galleries are measured on the second half.
    let (stream, held) = (probes(3, Some(true)), probes(3, Some(false)));
    let single = GalleryVectors::build(&people, 1, Strategy::BestOf);
    let points = decisions.at_gallery_size(people.len(), people.len());
    let refreshed_gallery = refreshed(
        GalleryVectors::build(&people, 1, Strategy::BestOf),
        &stream,
        points.identify_threshold + 0.05,
        0.15,
        points.verify_threshold,
        2,
    );
    for (name, gallery) in [
        ("one_template", &single),
        ("one_template_refreshed", &refreshed_gallery),
    ] {
        let r = rates_of(gallery, &held);
        rows.push(json!({"templates": name, "strategy": "best_of", "probes": held.len(), "tpir": 1.0 - r.fnir, "rates": r}));
    }
    rows
}

fn print_summary(report: &serde_json::Value) {
    let api = &report["through_the_api"];
    println!(
        "model {}  ({} enrolled, {} withheld)",
        report["model"], api["people_enrolled"], api["withheld_people"]
    );
    if let Some(targets) = api["targets"].as_object() {
        for (name, value) in targets {
            println!("  {name:45} {:.4}", value.as_f64().unwrap_or(f64::NAN));
        }
    }
    println!("gallery size   threshold   FPIR     FNIR     rank-1");
    for row in report["offline"]["by_gallery_size"]
        .as_array()
        .into_iter()
        .flatten()
    {
        let at = &row["at_shipped_operating_point"];
        println!(
            "  {:>10}   {:.3}      {:.4}   {:.4}   {:.4}",
            row["people"],
            at["threshold"].as_f64().unwrap_or(f64::NAN),
            at["fpir"].as_f64().unwrap_or(f64::NAN),
            at["fnir"].as_f64().unwrap_or(f64::NAN),
            at["rank1"].as_f64().unwrap_or(f64::NAN),
        );
    }
}
