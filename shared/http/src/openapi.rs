//! The OpenAPI 3 document, generated from the route table so it lists exactly the routes
//! the routers serve.

use serde_json::{Map, Value, json};

use super::routes::{Access, ROUTES, Reach, Route};

/// The OpenAPI document of every route.
pub fn document() -> Value {
    let mut paths = Map::new();
    for route in ROUTES {
        let item = paths
            .entry(route.path)
            .or_insert_with(|| Value::Object(Map::new()));
        if let Value::Object(item) = item {
            item.insert(route.method.to_lowercase(), operation(route));
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "LINTAS",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Face-recognition attendance. Errors are application/problem+json with a stable `code`."
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" }
            },
            "schemas": {
                "Problem": {
                    "type": "object",
                    "required": ["type", "title", "status", "code", "detail"],
                    "properties": {
                        "type": { "type": "string" },
                        "title": { "type": "string" },
                        "status": { "type": "integer" },
                        "code": { "type": "string" },
                        "detail": { "type": "string" }
                    }
                }
            }
        }
    })
}

fn operation(route: &Route) -> Value {
    let mut parameters: Vec<Value> = path_parameters(route.path)
        .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
        .collect();
    parameters.extend(route.query.iter().map(|name| {
        json!({ "name": name, "in": "query", "required": matches!(*name, "month" | "status" | "year"), "schema": { "type": "string" } })
    }));
    let success = match route.method {
        "DELETE" => "204",
        "POST"
            if route.path == "/v1/employees"
                || route.path == "/v1/challenges"
                || route.path.ends_with("enrollment-uploads")
                || route.path.ends_with("/roster") =>
        {
            "201"
        }
        "POST" if route.path == "/v1/auth/logout" => "204",
        "GET" if route.path == "/console" => "308",
        _ => "200",
    };
    let mut operation = json!({
        "operationId": operation_id(route),
        "summary": route.summary,
        "tags": [route.function.name()],
        "parameters": parameters,
        "responses": {
            success: { "description": "Success" },
            "default": {
                "description": "Failure",
                "content": { "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } }
            }
        }
    });
    if let Access::Roles(roles) = route.access {
        operation["security"] = json!([{ "bearer": [] }]);
        operation["x-roles"] = json!(roles);
        operation["x-office-reach"] = json!(reach_name(route.reach));
        operation["responses"]["401"] = json!({ "description": "No valid access token" });
        operation["responses"]["403"] =
            json!({ "description": "The caller's role is not listed in x-roles" });
    }
    if route.path == "/v1/predict" {
        operation["responses"]["202"] = json!({
            "description": "Not recorded: a candidate the person confirms at /v1/predict/confirm"
        });
    }
    if !route.body.is_empty() {
        let content: Map<String, Value> = route
            .body
            .iter()
            .map(|kind| (kind.to_string(), json!({ "schema": { "type": "object" } })))
            .collect();
        operation["requestBody"] = json!({ "required": true, "content": content });
    }
    operation
}

/// The `{name}` segments of a path.
pub fn path_parameters(path: &str) -> impl Iterator<Item = &str> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
}

/// `method_path` in snake case, e.g. `get_v1_employees_id`.
fn operation_id(route: &Route) -> String {
    let path: String = route
        .path
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    let words: Vec<&str> = path.split('_').filter(|w| !w.is_empty()).collect();
    format!("{}_{}", route.method.to_lowercase(), words.join("_"))
}
/// The published name of what an office-scoped admin reaches through a route.
fn reach_name(reach: Reach) -> &'static str {
    match reach {
        Reach::Caller => "caller",
        Reach::Employee => "employee",
        Reach::Office => "office",
        Reach::Narrowed => "narrowed",
        Reach::Global => "global",
    }
}
