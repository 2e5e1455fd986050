//! The gallery cache over the SQLite store and the photo folder: reloads, snapshots and
//! templates added by this process.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Duration;

use lintas_core::app::gallery_cache::GalleryCache;
use lintas_core::domain::Id;
use lintas_core::ports::conformance::template;
use lintas_core::ports::{GallerySnapshots, TemplateStore};
use lintas_face::embedding::ModelId;
use lintas_face::gallery::Gallery;
use lintas_face::gallery_snapshot::{self, Snapshot};
use lintas_local::{FolderPhotoStore, SqliteStore};

fn stores(name: &str) -> (SqliteStore, Arc<FolderPhotoStore>, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("lintas-gallery-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let store = SqliteStore::open(&dir.join("g.db")).unwrap();
    let folder = FolderPhotoStore::new(dir.join("photos"), "http://x", b"k".to_vec(), 1 << 20);
    (store, Arc::new(folder), dir)
}

fn model() -> ModelId {
    template("x", "x", 0).embedding.model().clone()
}

/// The gallery a new process loads.
async fn cold_load(store: &SqliteStore, snapshots: &Arc<FolderPhotoStore>) -> Arc<Gallery> {
    let cache = GalleryCache::load(store, snapshots.clone(), model(), Duration::ZERO)
        .await
        .unwrap();
    cache.current(store).await.unwrap()
}

async fn stored_snapshot(snapshots: &FolderPhotoStore) -> Snapshot {
    let bytes = snapshots.gallery_snapshot().await.unwrap().unwrap();
    gallery_snapshot::decode(&bytes).unwrap()
}

#[tokio::test]
async fn the_gallery_follows_the_store_and_skips_other_models() {
    let (store, snapshots, dir) = stores("follow");
    store.add_template(&template("t1", "ann", 1)).await.unwrap();
    let cache = GalleryCache::load(&store, snapshots.clone(), model(), Duration::ZERO)
        .await
        .unwrap();
    assert_eq!(cache.current(&store).await.unwrap().len(), 1);

    store.add_template(&template("t2", "ben", 2)).await.unwrap();
    assert_eq!(
        cache.current(&store).await.unwrap().len(),
        2,
        "a new template is seen"
    );
    store
        .delete_template(&Id::parse("ann").unwrap(), &Id::parse("t1").unwrap())
        .await
        .unwrap();
    assert_eq!(
        cache.current(&store).await.unwrap().len(),
        1,
        "a deletion is seen"
    );
    let published = stored_snapshot(&snapshots).await;
    assert_eq!(published.version, store.gallery_version().await.unwrap());
    assert!(
        published
            .gallery
            .entries()
            .all(|(_, employee, _)| employee == "ben"),
        "the published snapshot no longer holds the deleted template"
    );

    let slow = GalleryCache::load(
        &store,
        snapshots,
        ModelId::new("another-model"),
        Duration::from_secs(3600),
    )
    .await
    .unwrap();
    assert_eq!(slow.current(&store).await.unwrap().len(), 0);
    assert_eq!(slow.skipped_templates().unwrap(), 1);
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_template_stored_here_is_added_without_a_reload() {
    let (store, snapshots, dir) = stores("added");
    store.add_template(&template("t1", "ann", 1)).await.unwrap();
    let cache = GalleryCache::load(&store, snapshots, model(), Duration::from_secs(3600))
        .await
        .unwrap();
    let own = template("t2", "ben", 2);
    let version = store.add_template(&own).await.unwrap();
    cache.add(&own, version).unwrap();
    let gallery = cache.current(&store).await.unwrap();
    assert!(gallery.has_employee("ben"));
    cache.refresh(&store).await.unwrap();
    assert!(
        Arc::ptr_eq(&gallery, &cache.current(&store).await.unwrap()),
        "the versions agree, so nothing is reloaded"
    );

    store.add_template(&template("t3", "cal", 3)).await.unwrap();
    let own = template("t4", "dan", 4);
    let version = store.add_template(&own).await.unwrap();
    cache.add(&own, version).unwrap();
    cache.refresh(&store).await.unwrap();
    let gallery = cache.current(&store).await.unwrap();
    assert!(
        gallery.has_employee("cal") && gallery.len() == 4,
        "another process's template is picked up by a reload"
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_snapshot_is_used_only_at_the_current_version() {
    let (store, snapshots, dir) = stores("version");
    store.add_template(&template("t1", "ann", 1)).await.unwrap();
    let version = store.gallery_version().await.unwrap();
    let mut marked = Gallery::new(model());
    let decoy = template("decoy", "zed", 3);
    marked.insert("decoy", "zed", &decoy.embedding).unwrap();
    let at = |version| Snapshot {
        version,
        skipped: 0,
        gallery: marked.clone(),
    };

    snapshots
        .put_gallery_snapshot(gallery_snapshot::encode(&at(version)))
        .await
        .unwrap();
    let gallery = cold_load(&store, &snapshots).await;
    assert!(
        gallery.has_employee("zed") && !gallery.has_employee("ann"),
        "a current snapshot is read instead of the templates"
    );

    snapshots
        .put_gallery_snapshot(gallery_snapshot::encode(&at(version - 1)))
        .await
        .unwrap();
    let gallery = cold_load(&store, &snapshots).await;
    assert!(gallery.has_employee("ann") && !gallery.has_employee("zed"));
    assert!(
        stored_snapshot(&snapshots)
            .await
            .gallery
            .has_employee("ann"),
        "a stale snapshot is replaced"
    );

    snapshots
        .put_gallery_snapshot(b"garbage".to_vec())
        .await
        .unwrap();
    assert!(cold_load(&store, &snapshots).await.has_employee("ann"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[tokio::test]
async fn a_reload_between_the_write_and_the_add_is_not_counted_twice() {
    let (store, snapshots, dir) = stores("reloaded");
    store.add_template(&template("t1", "ann", 1)).await.unwrap();
    let cache = GalleryCache::load(&store, snapshots, model(), Duration::ZERO)
        .await
        .unwrap();
    let own = template("t2", "ben", 2);
    let version = store.add_template(&own).await.unwrap();
    // Another request of this process reloads before the enrollment adds its template.
    let reloaded = cache.current(&store).await.unwrap();
    assert_eq!(reloaded.len(), 2);
    cache.add(&own, version).unwrap();
    let gallery = cache.current(&store).await.unwrap();
    assert_eq!(gallery.len(), 2, "the template is not added twice");
    assert!(
        Arc::ptr_eq(&reloaded, &gallery),
        "the loaded version still equals the store's, so nothing is reloaded"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
