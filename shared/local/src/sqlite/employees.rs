//! Employees and their unique e-mail addresses.

use async_trait::async_trait;
use rusqlite::params;

use super::*;

#[async_trait]
impl EmployeeStore for SqliteStore {
    async fn create_employee(&self, employee: &Employee) -> Result<()> {
        let (id, email, version, data) = employee_row(employee)?;
        self.run(move |c| {
            c.execute(
                "INSERT INTO employees (id, email, version, data) VALUES (?1, ?2, ?3, ?4)",
                params![id, email, version, data],
            )
            .map_err(sql_error)?;
            Ok(())
        })
        .await
    }

    async fn employee(&self, id: &Id) -> Result<Option<Employee>> {
        self.find_one("SELECT data FROM employees WHERE id = ?1", id.to_string())
            .await
    }

    async fn employee_by_email(&self, email: &str) -> Result<Option<Employee>> {
        let email = email.to_lowercase();
        self.find_one("SELECT data FROM employees WHERE email = ?1", email)
            .await
    }

    async fn update_employee(&self, employee: &Employee) -> Result<()> {
        let (id, email, version, data) = employee_row(employee)?;
        self.run(move |c| {
            let changed = c
                .execute(
                    "UPDATE employees SET email = ?2, version = ?3, data = ?4
                     WHERE id = ?1 AND version = ?3 - 1",
                    params![id, email, version, data],
                )
                .map_err(sql_error)?;
            if changed == 0 {
                return Err(StoreError::Conflict(format!(
                    "employee {id} is gone or changed since version {}",
                    version - 1
                )));
            }
            Ok(())
        })
        .await
    }

    async fn delete_employee(&self, id: &Id) -> Result<bool> {
        let id = id.to_string();
        self.run(move |c| {
            let deleted = c
                .execute("DELETE FROM employees WHERE id = ?1", [id])
                .map_err(sql_error)?;
            Ok(deleted > 0)
        })
        .await
    }

    async fn list_employees(&self, page: &PageRequest) -> Result<Page<Employee>> {
        self.page_by_id(
            "SELECT id, data FROM employees WHERE id > ?1 ORDER BY id LIMIT ?2",
            page,
        )
        .await
    }
}

fn employee_row(employee: &Employee) -> Result<(String, Option<String>, i64, String)> {
    let version = i64::try_from(employee.version)
        .map_err(|_| StoreError::Invalid("version out of range".into()))?;
    Ok((
        employee.id.to_string(),
        employee.email.as_ref().map(|e| e.to_lowercase()),
        version,
        to_json(employee)?,
    ))
}
