//! What an office-scoped admin reaches: the accounts of their offices that are not admins
//! (and their own), those offices, and lists and reports narrowed to them. Outside that,
//! records do not exist for them (404, so ids do not leak); settings every office shares
//! are for admins of every office only. A global admin (no `admin_offices`) reaches all.

use std::collections::HashSet;

use super::{App, AppError, DEFAULT_OFFICE, EmployeeChanges, NewEmployee, Principal, all_pages};
use crate::domain::{Employee, Id, Role};

/// Whether `caller` may manage the account `id` of `office` with `role`: any, for a global
/// admin; for an office-scoped admin, their own and the non-admin accounts of their offices.
pub fn may_manage(caller: &Principal, id: &Id, office: &Id, role: Role) -> bool {
    caller.is_global_admin()
        || (caller.role == Role::Admin
            && (id == &caller.id || (role != Role::Admin && caller.administers(office))))
}

/// Whether `caller` may manage `employee`.
pub(super) fn manages(caller: &Principal, employee: &Employee) -> bool {
    may_manage(caller, &employee.id, &employee.office_id, employee.role)
}

/// Whether `caller` may read `employee`'s records (attendance, requests, recap): an admin
/// who manages them, the employee, or their supervisor.
pub(super) fn may_read(caller: &Principal, employee: &Employee) -> bool {
    manages(caller, employee)
        || employee.id == caller.id
        || employee.supervisor_id.as_ref() == Some(&caller.id)
}

impl App {
    /// The employee `id`, when `caller` may manage it; otherwise not found.
    pub async fn employee_in_reach(
        &self,
        caller: &Principal,
        id: &str,
    ) -> Result<Employee, AppError> {
        let employee = self.existing_employee(id).await?;
        if manages(caller, &employee) {
            Ok(employee)
        } else {
            Err(AppError::NotFound(format!("employee {}", employee.id)))
        }
    }

    /// Checks that `caller` may read the records of employee `id`: any id for an admin of
    /// every office (the records of an erased employee read as none), otherwise as
    /// [`App::employee_in_reach`].
    pub async fn check_employee_in_reach(
        &self,
        caller: &Principal,
        id: &str,
    ) -> Result<(), AppError> {
        if caller.is_global_admin() {
            return Ok(());
        }
        self.employee_in_reach(caller, id).await.map(drop)
    }

    /// Checks that `caller` may read the records of employee `id` (see [`may_read`]): any id
    /// for an admin of every office, as [`App::check_employee_in_reach`]; anyone else reads
    /// an employee outside their reach as not found.
    pub async fn check_may_read(&self, caller: &Principal, id: &str) -> Result<(), AppError> {
        if caller.is_global_admin() || caller.id.as_str() == id {
            return Ok(());
        }
        let employee = self.existing_employee(id).await?;
        if may_read(caller, &employee) {
            Ok(())
        } else {
            Err(AppError::NotFound(format!("employee {}", employee.id)))
        }
    }

    /// Checks that `caller` manages the employee of the enrollment job `key`; otherwise the
    /// job is not found.
    pub async fn check_enrollment_in_reach(
        &self,
        caller: &Principal,
        key: &str,
    ) -> Result<(), AppError> {
        if caller.is_global_admin() {
            return Ok(());
        }
        let not_found = || AppError::NotFound(format!("enrollment {key}"));
        let job = self.store.enrollment(key).await?.ok_or_else(not_found)?;
        match self.store.employee(&job.employee_id).await? {
            Some(employee) if manages(caller, &employee) => Ok(()),
            _ => Err(not_found()),
        }
    }

    /// The ids of the employees `caller` may manage, or `None` for everyone (a global
    /// admin).
    pub async fn employees_in_reach(
        &self,
        caller: &Principal,
    ) -> Result<Option<HashSet<Id>>, AppError> {
        if caller.is_global_admin() {
            return Ok(None);
        }
        let everyone =
            all_pages(|request| async move { self.store.list_employees(&request).await }).await?;
        Ok(Some(
            everyone
                .into_iter()
                .filter(|e| manages(caller, e))
                .map(|e| e.id)
                .collect(),
        ))
    }
}

/// The office `office`, when `caller` administers it; otherwise not found.
pub fn office_in_reach(caller: &Principal, office: &Id) -> Result<(), AppError> {
    if caller.administers(office) {
        Ok(())
    } else {
        Err(AppError::NotFound(format!("office {office}")))
    }
}

/// Refuses `caller` unless they are an admin of every office.
pub fn require_global_admin(caller: &Principal) -> Result<(), AppError> {
    if caller.is_global_admin() {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "global_admin_only",
            "only an admin of every office may do this",
        ))
    }
}

/// Checks that an office-scoped admin creates a non-admin account in one of their offices.
pub fn check_new_employee(caller: &Principal, new: &NewEmployee) -> Result<(), AppError> {
    if caller.is_global_admin() {
        return Ok(());
    }
    if new.role == Role::Admin || new.admin_offices.is_some() {
        require_global_admin(caller)?;
    }
    office_in_reach(caller, &office_id(new.office_id.as_deref())?)
}

/// Checks that an office-scoped admin neither moves an account out of their offices nor
/// grants admin rights.
pub fn check_changes(caller: &Principal, changes: &EmployeeChanges) -> Result<(), AppError> {
    if caller.is_global_admin() {
        return Ok(());
    }
    if changes.role == Some(Role::Admin) || changes.admin_offices.is_some() {
        require_global_admin(caller)?;
    }
    match changes.office_id.as_deref() {
        Some(office) => office_in_reach(caller, &office_id(Some(office))?),
        None => Ok(()),
    }
}

fn office_id(office: Option<&str>) -> Result<Id, AppError> {
    super::parse_id(office.unwrap_or(DEFAULT_OFFICE), "office id")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(text: &str) -> Id {
        Id::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn admin_of(offices: &[&str]) -> Principal {
        Principal {
            id: id("scoped"),
            role: Role::Admin,
            account: String::new(),
            generation: 0,
            offices: offices.iter().map(|o| id(o)).collect(),
        }
    }

    #[test]
    fn scoped_admins_manage_the_non_admins_of_their_offices_and_themselves() {
        let scoped = admin_of(&["dinas-a"]);
        let (a, b) = (id("dinas-a"), id("dinas-b"));
        assert!(may_manage(&scoped, &id("amy"), &a, Role::Employee));
        assert!(may_manage(&scoped, &id("kiosk"), &a, Role::Kiosk));
        assert!(!may_manage(&scoped, &id("bob"), &b, Role::Employee));
        assert!(!may_manage(&scoped, &id("other"), &a, Role::Admin));
        assert!(may_manage(&scoped, &id("scoped"), &b, Role::Admin));
        let global = admin_of(&[]);
        assert!(may_manage(&global, &id("other"), &b, Role::Admin));
        let employee = Principal {
            role: Role::Employee,
            ..admin_of(&[])
        };
        assert!(!may_manage(&employee, &id("amy"), &a, Role::Employee));
    }
}
