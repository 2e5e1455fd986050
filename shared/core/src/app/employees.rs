//! Employee records: create, read, list, change, and erase with everything that is theirs.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::passwords::Passwords;
use super::{App, AppError, DEFAULT_OFFICE, Principal, all_pages, default_office_id, parse_id};
use crate::domain::{Employee, EmployeeStatus, Id, Role, new_id};
use crate::ports::{Page, PageRequest, StoreError, photo_keys};

/// How many times an edit the service makes on its own rereads a record another edit changed.
const EDIT_ATTEMPTS: usize = 3;

/// A new employee as an admin describes it.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewEmployee {
    /// Login id: 1 to 64 letters, digits, `-` or `_`.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Login e-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// Staff number.
    #[serde(default)]
    pub staff_number: Option<String>,
    /// Role.
    pub role: Role,
    /// Office (default `main`).
    #[serde(default)]
    pub office_id: Option<String>,
    /// Whether the account is on the attendance roll (default: every role but kiosks).
    #[serde(default)]
    pub on_roll: Option<bool>,
    /// Initial password.
    #[serde(default)]
    pub password: Option<String>,
    /// Their supervisor, who decides their requests.
    #[serde(default)]
    pub supervisor_id: Option<String>,
    /// For an admin, the offices they manage (default: every office).
    #[serde(default)]
    pub admin_offices: Option<Vec<String>>,
}

/// Changes to an employee; absent fields stay as they are.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmployeeChanges {
    /// The version the change was made from; refused when the record changed since.
    #[serde(default)]
    pub version: Option<u64>,
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New e-mail.
    #[serde(default)]
    pub email: Option<String>,
    /// New staff number.
    #[serde(default)]
    pub staff_number: Option<String>,
    /// New role.
    #[serde(default)]
    pub role: Option<Role>,
    /// New office.
    #[serde(default)]
    pub office_id: Option<String>,
    /// Suspend or reactivate.
    #[serde(default)]
    pub status: Option<EmployeeStatus>,
    /// On or off the attendance roll.
    #[serde(default)]
    pub on_roll: Option<bool>,
    /// New password.
    #[serde(default)]
    pub password: Option<String>,
    /// New supervisor; an empty string removes the supervisor.
    #[serde(default)]
    pub supervisor_id: Option<String>,
    /// For an admin, the offices they manage; empty for every office.
    #[serde(default)]
    pub admin_offices: Option<Vec<String>>,
}

/// An employee as the API shows it: never the password hash.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EmployeeView {
    /// Id.
    pub id: Id,
    /// Name.
    pub name: String,
    /// E-mail.
    pub email: Option<String>,
    /// Staff number.
    pub staff_number: Option<String>,
    /// Role.
    pub role: Role,
    /// Office.
    pub office_id: Id,
    /// Status.
    pub status: EmployeeStatus,
    /// Whether the attendance report counts this account's days.
    pub on_roll: bool,
    /// Whether a password is set.
    pub has_password: bool,
    /// Employees an admin confirmed to be look-alikes of this one.
    pub look_alikes: Vec<Id>,
    /// Their supervisor, who decides their requests.
    pub supervisor_id: Option<Id>,
    /// For an admin, the offices they manage; empty for every office.
    pub admin_offices: Vec<Id>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
    /// Version, for guarded updates.
    pub version: u64,
}

impl From<Employee> for EmployeeView {
    fn from(e: Employee) -> Self {
        Self {
            has_password: e.password_hash.is_some(),
            look_alikes: e.look_alikes,
            supervisor_id: e.supervisor_id,
            admin_offices: e.admin_offices,
            id: e.id,
            name: e.name,
            email: e.email,
            staff_number: e.staff_number,
            role: e.role,
            office_id: e.office_id,
            status: e.status,
            on_roll: e.on_roll,
            created_at: e.created_at,
            updated_at: e.updated_at,
            version: e.version,
        }
    }
}

impl App {
    /// Creates an employee; `Conflict` when the id or e-mail is taken.
    pub async fn create_employee(
        &self,
        actor: &Id,
        new: NewEmployee,
    ) -> Result<EmployeeView, AppError> {
        let id = parse_id(&new.id, "employee id")?;
        let office_id = self
            .office_for(new.office_id.as_deref().unwrap_or(DEFAULT_OFFICE))
            .await?;
        let password_hash = match &new.password {
            Some(password) => {
                Passwords::check_rules(password, id.as_str())?;
                Some(self.passwords.hash(password).await?)
            }
            None => None,
        };
        let supervisor_id = match &new.supervisor_id {
            Some(supervisor) => Some(self.supervisor_for(&id, supervisor).await?),
            None => None,
        };
        let admin_offices = match &new.admin_offices {
            Some(offices) => self.admin_offices_for(new.role, offices).await?,
            None => Vec::new(),
        };
        let now = self.clock.now();
        let employee = Employee {
            name: check_name(&new.name)?,
            email: new.email.as_deref().map(check_email).transpose()?,
            staff_number: new
                .staff_number
                .as_deref()
                .map(check_staff_number)
                .transpose()?,
            id,
            role: new.role,
            office_id,
            status: EmployeeStatus::Active,
            on_roll: on_roll(new.role, new.on_roll)?,
            password_hash,
            created_at: now,
            updated_at: now,
            version: 1,
            account_key: new_id().to_string(),
            token_generation: 0,
            look_alikes: Vec::new(),
            supervisor_id,
            admin_offices,
        };
        self.store
            .create_employee(&employee)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => AppError::conflict(
                    "employee_exists",
                    "an employee with this id or e-mail exists",
                ),
                other => other.into(),
            })?;
        self.audit(actor, "employee.create", employee.id.as_str(), None)
            .await;
        Ok(employee.into())
    }

    /// One employee.
    pub async fn employee(&self, id: &str) -> Result<EmployeeView, AppError> {
        Ok(self.existing_employee(id).await?.into())
    }

    /// Employees in id order, a page at a time.
    pub async fn list_employees(&self, page: &PageRequest) -> Result<Page<EmployeeView>, AppError> {
        let page = self.store.list_employees(page).await?;
        Ok(Page {
            items: page.items.into_iter().map(EmployeeView::from).collect(),
            next: page.next,
        })
    }

    /// Applies `changes`; `Conflict` when the record changed since `changes.version` or
    /// meanwhile, or the new e-mail is taken.
    pub async fn update_employee(
        &self,
        actor: &Id,
        id: &str,
        changes: EmployeeChanges,
    ) -> Result<EmployeeView, AppError> {
        let before = self.existing_employee(id).await?;
        let mut employee = before.clone();
        if changes.version.is_some_and(|v| v != employee.version) {
            return Err(stale_edit());
        }
        if let Some(name) = &changes.name {
            employee.name = check_name(name)?;
        }
        if let Some(email) = &changes.email {
            employee.email = Some(check_email(email)?);
        }
        if let Some(staff_number) = &changes.staff_number {
            employee.staff_number = Some(check_staff_number(staff_number)?);
        }
        if let Some(office) = &changes.office_id {
            employee.office_id = self.office_for(office).await?;
        }
        if let Some(role) = changes.role {
            employee.role = role;
        }
        if let Some(offices) = &changes.admin_offices {
            employee.admin_offices = self.admin_offices_for(employee.role, offices).await?;
        } else if employee.role != Role::Admin {
            employee.admin_offices.clear();
        }
        if let Some(supervisor) = &changes.supervisor_id {
            employee.supervisor_id = match supervisor.as_str() {
                "" => None,
                supervisor => Some(self.supervisor_for(&employee.id, supervisor).await?),
            };
        }
        if let Some(status) = changes.status {
            employee.status = status;
        }
        if changes.on_roll.is_some() || changes.role.is_some() {
            employee.on_roll = on_roll(employee.role, changes.on_roll.or(Some(employee.on_roll)))?;
        }
        if let Some(password) = &changes.password {
            Passwords::check_rules(password, employee.id.as_str())?;
            employee.password_hash = Some(self.passwords.hash(password).await?);
        }
        let access_changed = employee.role != before.role
            || employee.status != before.status
            || employee.admin_offices != before.admin_offices;
        if access_changed && &employee.id == actor {
            return Err(AppError::forbidden(
                "own_access",
                "an admin cannot change their own role or status; ask another admin",
            ));
        }
        if access_changed || changes.password.is_some() {
            employee.token_generation += 1;
        }
        employee.version += 1;
        employee.updated_at = self.clock.now();
        self.store
            .update_employee(&employee)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => stale_edit(),
                other => other.into(),
            })?;
        if is_active_admin(&before) && !is_active_admin(&employee) {
            self.keep_an_active_admin(&employee, &before).await?;
        }
        if changes.password.is_some() || changes.status == Some(EmployeeStatus::Suspended) {
            self.end_sessions_for_good(&employee.id).await?;
            // Ending the sessions moved the version once more: the record as it is now.
            employee = self.existing_employee(employee.id.as_str()).await?;
        }
        self.audit(actor, "employee.update", employee.id.as_str(), None)
            .await;
        Ok(employee.into())
    }

    /// After `changed` stopped being an active admin: when no active admin is left (a
    /// concurrent change removed the others), puts `before` back and refuses. Checking after
    /// the write holds under concurrency on any store: of two admins demoting each other at
    /// once, at least one change is undone.
    async fn keep_an_active_admin(
        &self,
        changed: &Employee,
        before: &Employee,
    ) -> Result<(), AppError> {
        if self.active_admins().await? > 0 {
            return Ok(());
        }
        let mut restored = before.clone();
        restored.version = changed.version + 1;
        restored.updated_at = self.clock.now();
        restored.token_generation = before.token_generation;
        self.store.update_employee(&restored).await?;
        Err(last_active_admin())
    }

    /// How many active admins there are now.
    async fn active_admins(&self) -> Result<usize, AppError> {
        let everyone =
            all_pages(|request| async move { self.store.list_employees(&request).await }).await?;
        Ok(everyone.iter().filter(|e| is_active_admin(e)).count())
    }

    /// Makes `id` an active admin with `password` (creating the account if missing) and
    /// ends its sessions: the way back in when no admin can log in. Only operator tools
    /// with direct access to the store call this.
    pub async fn recover_admin(&self, id: &str, password: &str) -> Result<EmployeeView, AppError> {
        let system = Id::parse("system").map_err(|e| AppError::Internal(e.to_string()))?;
        let Some(mut employee) = self.store.employee(&parse_id(id, "employee id")?).await? else {
            let new = NewEmployee {
                id: id.to_owned(),
                name: "Administrator".into(),
                email: None,
                staff_number: None,
                role: Role::Admin,
                office_id: None,
                on_roll: Some(false),
                password: Some(password.to_owned()),
                supervisor_id: None,
                admin_offices: None,
            };
            return self.create_employee(&system, new).await;
        };
        Passwords::check_rules(password, employee.id.as_str())?;
        employee.role = Role::Admin;
        employee.admin_offices.clear();
        employee.status = EmployeeStatus::Active;
        employee.password_hash = Some(self.passwords.hash(password).await?);
        employee.token_generation += 1;
        employee.version += 1;
        employee.updated_at = self.clock.now();
        self.store
            .update_employee(&employee)
            .await
            .map_err(|error| match error {
                StoreError::Conflict(_) => stale_edit(),
                other => other.into(),
            })?;
        self.end_sessions_for_good(&employee.id).await?;
        self.audit(
            &system,
            "employee.recover_admin",
            employee.id.as_str(),
            None,
        )
        .await;
        Ok(self.existing_employee(employee.id.as_str()).await?.into())
    }

    /// Erases an employee: templates and the gallery snapshot first (so the face stops
    /// matching), then every photo and attendance record, refused attempts and their
    /// photos, the enrollment jobs, challenges and tokens, and last the record itself, so an
    /// interrupted erasure can simply be repeated.
    pub async fn delete_employee(&self, actor: &Id, id: &str) -> Result<(), AppError> {
        let employee = self.existing_employee(id).await?;
        let id = &employee.id;
        if id == actor {
            return Err(AppError::forbidden(
                "own_access",
                "an admin cannot erase their own account; ask another admin",
            ));
        }
        {
            // Suspended first: from now on no token of the account works and no punch in
            // flight can store its record (stores write a punch only for an active
            // account). For an admin this is checked like a demotion, so two admins
            // erasing each other at once cannot leave no admin.
            let mut suspended = employee.clone();
            suspended.status = EmployeeStatus::Suspended;
            suspended.token_generation += 1;
            suspended.version += 1;
            suspended.updated_at = self.clock.now();
            self.store
                .update_employee(&suspended)
                .await
                .map_err(|error| match error {
                    StoreError::Conflict(_) => stale_edit(),
                    other => other.into(),
                })?;
            if is_active_admin(&employee) {
                self.keep_an_active_admin(&suspended, &employee).await?;
            }
        }
        let templates = self.store.delete_templates_of(id).await?;
        self.forget_deleted_templates().await?;
        // Photos go before the records that name them, so a repeated erasure still finds
        // every attendance photo.
        let mut photos = self.attendance_photos_of(&employee).await?;
        for prefix in photo_keys::employee_prefixes(id) {
            photos.extend(self.photos.list_photos(&prefix).await?);
        }
        for key in &photos {
            self.photos.delete_photo(key).await?;
        }
        for key in self.store.delete_attendance_of(id).await? {
            self.photos.delete_photo(&key).await?;
        }
        for key in self.store.delete_refusals_of(id).await? {
            self.photos.delete_photo(&key).await?;
        }
        self.store.delete_enrollments_of(id).await?;
        self.store.delete_challenges_of(id).await?;
        self.store.delete_assignments_of(id).await?;
        self.store.delete_requests_of(id).await?;
        self.release_team_of(id).await?;
        self.forget_attempts_of(id).await?;
        self.store.delete_tokens_of(id).await?;
        self.store.delete_employee(id).await?;
        // A punch that stored its selfie just before the suspension and failed to delete
        // it after its record was refused leaves a photo: the prefixes are swept once more.
        for prefix in photo_keys::employee_prefixes(id) {
            for key in self.photos.list_photos(&prefix).await? {
                self.photos.delete_photo(&key).await?;
            }
        }
        self.audit(
            actor,
            "employee.delete",
            id.as_str(),
            Some(format!("{templates} templates, {} photos", photos.len())),
        )
        .await;
        Ok(())
    }

    /// Removes `supervisor` from the records of their team, so that an account created
    /// later with the same id supervises nobody. (The supervisor is suspended by then, and
    /// a suspended account cannot be made anyone's supervisor.)
    async fn release_team_of(&self, supervisor: &Id) -> Result<(), AppError> {
        let everyone =
            all_pages(|request| async move { self.store.list_employees(&request).await }).await?;
        for member in everyone
            .into_iter()
            .filter(|e| e.supervisor_id.as_ref() == Some(supervisor))
        {
            self.without_supervisor(member, supervisor).await?;
        }
        Ok(())
    }

    /// Clears `member`'s supervisor if it is still `supervisor`, rereading the record when
    /// another edit wins the write.
    async fn without_supervisor(
        &self,
        mut member: Employee,
        supervisor: &Id,
    ) -> Result<(), AppError> {
        for _ in 0..EDIT_ATTEMPTS {
            if member.supervisor_id.as_ref() != Some(supervisor) {
                return Ok(());
            }
            member.supervisor_id = None;
            member.version += 1;
            member.updated_at = self.clock.now();
            match self.store.update_employee(&member).await {
                Ok(()) => return Ok(()),
                Err(StoreError::Conflict(_)) => match self.store.employee(&member.id).await? {
                    Some(fresh) => member = fresh,
                    None => return Ok(()),
                },
                Err(other) => return Err(other.into()),
            }
        }
        Err(stale_edit())
    }

    /// The photo keys of every punch of `employee` since their record was created.
    async fn attendance_photos_of(&self, employee: &Employee) -> Result<Vec<String>, AppError> {
        let from = employee.created_at.date_naive() - chrono::Duration::days(1);
        let to = self.clock.now().date_naive() + chrono::Duration::days(1);
        let records = all_pages(|request| async move {
            self.store
                .attendance_of(&employee.id, from, to, &request)
                .await
        })
        .await?;
        Ok(records.into_iter().filter_map(|r| r.photo_key).collect())
    }

    /// The principal a token issued to account `id` now would name (for tools and tests that
    /// act as an account without logging it in).
    pub async fn principal(&self, id: &str) -> Result<Principal, AppError> {
        Ok(Principal::from(&self.existing_employee(id).await?))
    }

    /// The stored employee with this id, or `NotFound`.
    pub(super) async fn existing_employee(&self, id: &str) -> Result<Employee, AppError> {
        let id = parse_id(id, "employee id")?;
        self.store
            .employee(&id)
            .await?
            .ok_or_else(|| AppError::NotFound(format!("employee {id}")))
    }

    /// The offices an admin manages: each one stored (or the default office), and only for
    /// an admin.
    async fn admin_offices_for(&self, role: Role, offices: &[String]) -> Result<Vec<Id>, AppError> {
        if role != Role::Admin && !offices.is_empty() {
            return Err(AppError::invalid(
                "invalid_admin_offices",
                "only an admin manages offices",
            ));
        }
        let mut ids = Vec::with_capacity(offices.len());
        for office in offices {
            let id = self.office_for(office).await?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    /// The supervisor of `employee`: another stored account that is not a kiosk.
    async fn supervisor_for(&self, employee: &Id, supervisor: &str) -> Result<Id, AppError> {
        let id = parse_id(supervisor, "supervisor id")?;
        let invalid = |why: &str| AppError::invalid("invalid_supervisor", why.to_owned());
        if &id == employee {
            return Err(invalid("nobody supervises themself"));
        }
        match self.store.employee(&id).await? {
            Some(supervisor) if supervisor.role == Role::Kiosk => {
                Err(invalid("a kiosk supervises nobody"))
            }
            Some(supervisor) if supervisor.status != EmployeeStatus::Active => {
                Err(invalid("a suspended account supervises nobody"))
            }
            Some(_) => Ok(id),
            None => Err(invalid("the supervisor is not an employee")),
        }
    }

    /// The office id, which must name a stored office (the default office always exists).
    async fn office_for(&self, office: &str) -> Result<Id, AppError> {
        let id = parse_id(office, "office id")?;
        if id == default_office_id() || self.store.office(&id).await?.is_some() {
            Ok(id)
        } else {
            Err(AppError::unprocessable(
                "unknown_office",
                format!("office {id} does not exist"),
            ))
        }
    }
}

/// True for an admin of every office whose account is not suspended.
fn is_active_admin(employee: &Employee) -> bool {
    employee.role == Role::Admin
        && employee.status == EmployeeStatus::Active
        && employee.admin_offices.is_empty()
}

/// The answer for a change that would leave no active admin.
fn last_active_admin() -> AppError {
    AppError::conflict(
        "last_active_admin",
        "this would leave no active admin of every office; make another account one first",
    )
}

fn stale_edit() -> AppError {
    AppError::conflict(
        "edit_conflict",
        "the employee changed since it was read, or the e-mail is taken; read it again",
    )
}

/// A display name: 1 to 200 characters, no control characters.
fn check_name(name: &str) -> Result<String, AppError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "invalid_name",
            "the name must have 1 to 200 characters and no control characters",
        ));
    }
    Ok(name.to_owned())
}

/// An e-mail address, lower-cased: one `@` with text on both sides, no spaces.
fn check_email(email: &str) -> Result<String, AppError> {
    let email = email.trim().to_lowercase();
    let valid = email.len() <= 254
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
        && matches!(email.split_once('@'), Some((local, domain))
            if !local.is_empty() && domain.contains('.') && !domain.contains('@'));
    if valid {
        Ok(email)
    } else {
        Err(AppError::invalid(
            "invalid_email",
            format!("{email:?} is not an e-mail address"),
        ))
    }
}

/// A staff number: 1 to 64 printable characters.
fn check_staff_number(number: &str) -> Result<String, AppError> {
    let number = number.trim();
    if number.is_empty() || number.len() > 64 || number.chars().any(char::is_control) {
        return Err(AppError::invalid(
            "invalid_staff_number",
            "the staff number must have 1 to 64 printable characters",
        ));
    }
    Ok(number.to_owned())
}

/// Whether an account of `role` is on the attendance roll: as `asked`, by default every role
/// but kiosks, which never are.
fn on_roll(role: Role, asked: Option<bool>) -> Result<bool, AppError> {
    match (role, asked) {
        (Role::Kiosk, Some(true)) => Err(AppError::invalid(
            "invalid_on_roll",
            "a kiosk account cannot be on the attendance roll",
        )),
        (Role::Kiosk, _) => Ok(false),
        (_, asked) => Ok(asked.unwrap_or(true)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contact_fields_are_checked() {
        assert_eq!(
            check_email(" Ann@Example.GO.ID ").unwrap(),
            "ann@example.go.id"
        );
        for bad in [
            "ann",
            "@x.id",
            "ann@",
            "a b@x.id",
            "a@b@x.id",
            "ann@localhost",
        ] {
            assert!(check_email(bad).is_err(), "{bad}");
        }
        assert!(check_name("  ").is_err());
        assert!(check_name("Ann\u{0}").is_err());
        assert_eq!(check_name(" Siti Rahma ").unwrap(), "Siti Rahma");
        assert!(check_staff_number(&"9".repeat(65)).is_err());
    }
}
