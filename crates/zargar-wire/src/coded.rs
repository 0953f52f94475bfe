//! Enums named by a code: one string per variant, which is its serde name on
//! the wire, its text in a database column and the suffix of its Fluent id.
//! Declared once with [`coded!`], so no crate writes a converter of its own.

/// Declares a fieldless enum whose every variant has one code:
///
/// ```
/// zargar_wire::coded! {
///     /// Where a till's drawer stands.
///     pub enum Drawer { Open = "open", Closed = "closed" }
/// }
/// assert_eq!(Drawer::Open.code(), "open");
/// assert_eq!(Drawer::from_code("closed"), Some(Drawer::Closed));
/// assert_eq!(serde_json::to_string(&Drawer::Open).unwrap(), "\"open\"");
/// ```
///
/// The enum derives `Debug, Clone, Copy, PartialEq, Eq, Hash` and serde's
/// traits; further derives (OpenAPI, TypeScript) are passed as attributes.
#[macro_export]
macro_rules! coded {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $code:tt ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        pub enum $name {
            $( $(#[$vmeta])* #[serde(rename = $code)] $variant ),+
        }

        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: [$name; [$($code),+].len()] = [$($name::$variant),+];

            /// The variant's code.
            pub fn code(self) -> &'static str {
                match self {
                    $( $name::$variant => $code ),+
                }
            }

            /// The variant a code names, if any.
            pub fn from_code(code: &str) -> ::core::option::Option<$name> {
                match code {
                    $( $code => ::core::option::Option::Some($name::$variant), )+
                    _ => ::core::option::Option::None,
                }
            }
        }

        impl ::core::fmt::Display for $name {
            fn fmt(&self, f: &mut ::core::fmt::Formatter<'_>) -> ::core::fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}
