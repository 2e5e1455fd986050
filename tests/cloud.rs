//! A fresh DynamoDB table and S3 bucket on the local servers, the environment a function
//! needs to use them, and an in-process application over them to seed records.

use std::sync::Arc;

use lintas_aws::dynamodb::DynamoStore;
use lintas_aws::s3::S3PhotoStore;
use lintas_aws::sdk_config;
use lintas_core::app::{
    App, AppConfig, AppError, EnrollmentOptions, KioskOutcome, NewEmployee, Photo, Ports,
    Principal, Punch, PunchInput,
};
use lintas_core::domain::{Id, Role};
use lintas_core::ports::{Clock, SystemClock};
use lintas_engine::{EngineConfig, FaceEngine};
use lintas_face::rules::FaceRules;
use lintas_http::{self as api, Function};

/// Token secret shared by the seeding application and the functions under test.
pub const JWT_SECRET: &str = "a test secret of at least 32 bytes!!";
/// Password of the seeded `admin`.
pub const ADMIN_PASSWORD: &str = "kopi tubruk 42";
/// Largest photo the stores accept in tests.
const MAX_PHOTO_BYTES: usize = 4 * 1024 * 1024;

/// A table and a bucket of one test.
pub struct Cloud {
    /// The table's store.
    pub store: Arc<DynamoStore>,
    /// The bucket's store.
    pub photos: Arc<S3PhotoStore>,
    table: String,
    bucket: String,
}

impl Cloud {
    /// Creates `lintas-{name}-{pid}` as table and bucket on the local servers.
    pub async fn new(name: &str) -> Self {
        let shared = sdk_config().await;
        Self::create(
            name,
            aws_sdk_dynamodb::config::Builder::from(&shared),
            aws_sdk_s3::config::Builder::from(&shared),
        )
        .await
    }

    /// Like [`Cloud::new`], reaching the servers through other endpoints (fault proxies).
    pub async fn through(name: &str, dynamodb: &str, s3: &str) -> Self {
        let shared = sdk_config().await;
        Self::create(
            name,
            aws_sdk_dynamodb::config::Builder::from(&shared).endpoint_url(dynamodb),
            aws_sdk_s3::config::Builder::from(&shared).endpoint_url(s3),
        )
        .await
    }

    async fn create(
        name: &str,
        dynamodb: aws_sdk_dynamodb::config::Builder,
        s3: aws_sdk_s3::config::Builder,
    ) -> Self {
        let table = format!("lintas-{name}-{}", std::process::id());
        let bucket = table.clone();
        let store = Arc::new(DynamoStore::new(
            aws_sdk_dynamodb::Client::from_conf(dynamodb.build()),
            &table,
        ));
        store
            .create_table()
            .await
            .unwrap_or_else(|e| panic!("creating table {table} (is DynamoDB Local running?): {e}"));
        let photos = Arc::new(S3PhotoStore::new(
            aws_sdk_s3::Client::from_conf(s3.force_path_style(true).build()),
            &bucket,
            MAX_PHOTO_BYTES,
        ));
        photos.create_bucket().await.unwrap_or_else(|e| {
            panic!("creating bucket {bucket} (is the S3 server running?): {e}")
        });
        Self {
            store,
            photos,
            table,
            bucket,
        }
    }

    /// The bucket name.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The table name.
    pub fn table(&self) -> &str {
        &self.table
    }

    /// What a function needs in its environment to use this table and bucket (the
    /// endpoints and credentials are inherited from the test servers' environment).
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("LINTAS_TABLE", self.table.clone()),
            ("LINTAS_BUCKET", self.bucket.clone()),
            ("LINTAS_JWT_SECRET", JWT_SECRET.into()),
            ("LINTAS_BCRYPT_COST", "4".into()),
            ("LINTAS_REPEAT_PUNCH_MINUTES", "0".into()),
            // The fixture photos are grayscale crops, which the liveness checks refuse.
            ("LINTAS_LIVENESS", "off".into()),
        ]
    }

    /// The application over this table and bucket with the face engine, with `admin`
    /// bootstrapped; like the functions in [`Cloud::env`], it treats no punch as a repeat.
    pub async fn app(&self) -> App {
        self.app_at(Arc::new(SystemClock), std::time::Duration::ZERO)
            .await
    }

    /// As [`Cloud::app`], telling time by `clock`, with punches this soon after the previous
    /// one answered as repeats. Liveness is off: the fixture photos these tests punch with
    /// are grayscale crops, which the anti-spoofing models cannot judge, and they send one
    /// photo again and again (the liveness tests use [`Cloud::app_with`]).
    pub async fn app_at(&self, clock: Arc<dyn Clock>, repeat_window: std::time::Duration) -> App {
        let mut config = AppConfig::with_secret(JWT_SECRET.as_bytes().to_vec()).expect("a secret");
        config.attendance.repeat_window = repeat_window;
        config.faces.liveness = false;
        self.app_with(clock, config).await
    }

    /// The application over this table and bucket with `config` (bcrypt at its lowest cost)
    /// and the face engine, with `admin` bootstrapped.
    pub async fn app_with(&self, clock: Arc<dyn Clock>, mut config: AppConfig) -> App {
        config.login.bcrypt_cost = 4;
        let engine = FaceEngine::load(EngineConfig::default()).expect("the face engine");
        let ports = Ports {
            store: self.store.clone(),
            photos: self.photos.clone(),
            snapshots: self.photos.clone(),
            clock,
        };
        let app = App::new(ports, config)
            .with_face_engine(Arc::new(engine), FaceRules::default())
            .await
            .expect("the gallery");
        app.bootstrap(ADMIN_PASSWORD)
            .await
            .expect("bootstrapping admin");
        app
    }
}

/// Serves every route of `app` over HTTP on loopback; returns the base URL.
pub async fn serve(app: Arc<App>) -> String {
    let router = api::router(app, &Function::ALL);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("binding a loopback port");
    let address = listener.local_addr().expect("the bound address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}")
}

/// Creates the kiosk account `id` and returns it as the principal its tokens name.
pub async fn add_kiosk(app: &App, id: &str) -> Principal {
    let admin = Id::parse("admin").expect("an id");
    let new = NewEmployee {
        id: id.into(),
        name: id.into(),
        email: None,
        staff_number: None,
        role: Role::Kiosk,
        office_id: None,
        on_roll: None,
        password: None,
        supervisor_id: None,
        admin_offices: None,
    };
    app.create_employee(&admin, new)
        .await
        .unwrap_or_else(|e| panic!("creating {id}: {e}"));
    app.principal(id).await.expect("the kiosk")
}

/// A kiosk punch that must be recorded in one shot.
pub async fn kiosk_punch(
    app: &App,
    kiosk: &Principal,
    input: PunchInput,
) -> Result<Punch, AppError> {
    match app.kiosk_punch(kiosk, input).await? {
        KioskOutcome::Recorded(punch) => Ok(punch),
        KioskOutcome::Confirm(candidate) => panic!("a confirmation was asked: {candidate:?}"),
    }
}

/// Creates the employee `id` as `admin`, with an e-mail, `password` if given, and the
/// fixture `photos` (paths under `tests/fixtures/`) enrolled.
pub async fn add_employee(app: &App, id: &str, password: Option<&str>, photos: &[&str]) {
    let admin = Id::parse("admin").expect("an id");
    let new = NewEmployee {
        id: id.into(),
        name: id.into(),
        email: Some(format!("{id}@example.go.id")),
        staff_number: None,
        role: Role::Employee,
        office_id: None,
        on_roll: None,
        password: password.map(str::to_owned),
        supervisor_id: None,
        admin_offices: None,
    };
    app.create_employee(&admin, new)
        .await
        .unwrap_or_else(|e| panic!("creating {id}: {e}"));
    if !photos.is_empty() {
        let photos = photos
            .iter()
            .map(|path| Photo::new(crate::fixture_bytes(path), MAX_PHOTO_BYTES))
            .collect();
        // The fixture crops are not live captures: enrolled as an admin vouching for them.
        let options = EnrollmentOptions {
            accept_printed: true,
            look_alike_of: Vec::new(),
        };
        app.enroll_photos(&admin, id, photos, options)
            .await
            .unwrap_or_else(|e| panic!("enrolling {id}: {e}"));
    }
}
