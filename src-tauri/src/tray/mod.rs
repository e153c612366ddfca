//! The tray icon: built once at start-up from a [`TrayModel`] ([`crate::tray_model`]), then kept
//! in step with the state: only what is shown and changed is touched (new texts on the items it
//! keeps, a new menu when entries come or go, the icon and title when they change), so an idle
//! minute whose countdown says the same thing costs nothing. Menu clicks map back to a
//! [`TrayAction`]; the one that opens the window calls the opener [`create`] was given.

pub mod host;

use std::collections::BTreeMap;
use std::sync::{Mutex, PoisonError};

use tauri::image::Image;
use tauri::menu::{
    CheckMenuItem, IsMenuItem, Menu, MenuEvent, MenuItem, MenuItemKind, PredefinedMenuItem, Submenu,
};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

use crate::state::AppState;
use crate::tray_model::{
    self as model, MenuUpdate, TrayAction, TrayEntry, TrayIcon, TrayModel, TrayUpdate,
};

/// Shows the window (the tray process's [`crate::window::open`]): what Open Lanyard and More
/// profiles do.
pub type OpenWindow<R> = fn(&AppHandle<R>) -> std::io::Result<()>;

/// The id of Lanyard's one tray icon.
pub const TRAY_ID: &str = "main";

const ICON_OK: &[u8] = include_bytes!("../../../icons/tray/ok.png");
const ICON_EXPIRING: &[u8] = include_bytes!("../../../icons/tray/expiring.png");
const ICON_EXPIRED: &[u8] = include_bytes!("../../../icons/tray/expired.png");
const ICON_SIGNED_OUT: &[u8] = include_bytes!("../../../icons/tray/signed-out.png");

/// The native items of the menu shown, by menu id: what a new label is set on.
type Items<R> = BTreeMap<String, MenuItemKind<R>>;

/// What the tray shows: the model it was last given and the menu's items.
struct Shown<R: Runtime> {
    model: TrayModel,
    items: Items<R>,
}

/// The app's record of what its tray shows (managed state; empty until [`create`], and after an
/// update failed half-way, so that the next one starts over).
struct ShownTray<R: Runtime>(Mutex<Option<Shown<R>>>);

/// Creates the tray icon from the current state; its window items call `open_window`.
pub fn create<R: Runtime>(app: &AppHandle<R>, open_window: OpenWindow<R>) -> tauri::Result<()> {
    let model = TrayModel::build(&app.state::<AppState>().tray_input());
    let (menu, items) = menu(app, &model)?;
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(model.icon)?)
        .tooltip(&model.title)
        .title(&model.title)
        .menu(&menu)
        .on_menu_event(move |app, event| on_menu_event(app, event, open_window))
        .build(app)?;
    tracing::info!(items = ?model.labels(), "tray created");
    app.manage(ShownTray(Mutex::new(Some(Shown { model, items }))));
    Ok(())
}

/// Brings the tray in step with the current state, touching only what it shows that changed
/// (see [`TrayModel::update_from`]): nothing, new texts on the items kept, or a new menu; the
/// icon and the title only when they change.
pub fn rebuild<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return Ok(());
    };
    let Some(slot) = app.try_state::<ShownTray<R>>() else {
        return Ok(());
    };
    let model = TrayModel::build(&app.state::<AppState>().tray_input());
    // Held throughout: the engine and the window's link update the tray one at a time.
    let mut shown = slot.0.lock().unwrap_or_else(PoisonError::into_inner);
    let update = match shown.as_ref() {
        Some(s) => model.update_from(&s.model),
        None => TrayUpdate {
            icon: Some(model.icon),
            title: Some(model.title.clone()),
            menu: MenuUpdate::Rebuild,
        },
    };
    if update.is_empty() {
        return Ok(());
    }
    let old = shown.take();
    let items = match (update.menu, old) {
        (MenuUpdate::Same, Some(old)) => old.items,
        (MenuUpdate::Relabel(changed), Some(old))
            if changed
                .iter()
                .all(|(id, _)| old.items.get(id).is_some_and(relabels)) =>
        {
            for (id, label) in &changed {
                set_text(&old.items[id], &model::menu_text(label))?;
            }
            tracing::debug!(?changed, "tray relabelled");
            old.items
        }
        _ => {
            let (menu, items) = menu(app, &model)?;
            tray.set_menu(Some(menu))?;
            tracing::debug!(items = ?model.labels(), "tray rebuilt");
            items
        }
    };
    if let Some(which) = update.icon {
        tray.set_icon(Some(icon(which)?))?;
    }
    // Linux app indicators have no tooltip: the state goes in the title where it is shown.
    if let Some(title) = &update.title {
        tray.set_title(Some(title))?;
    }
    *shown = Some(Shown { model, items });
    Ok(())
}

/// Whether a new text set on the item shows: on plain and check items. On Linux muda puts a
/// submenu's label in a box beside its icon, where `set_text` does not reach (GTK sets the label
/// of a menu item only when the label is its child): a submenu's new label needs a new menu.
fn relabels<R: Runtime>(item: &MenuItemKind<R>) -> bool {
    matches!(item, MenuItemKind::MenuItem(_) | MenuItemKind::Check(_))
}

/// Sets the text of a kept item (an entry's label, already made menu text); see [`relabels`].
fn set_text<R: Runtime>(item: &MenuItemKind<R>, text: &str) -> tauri::Result<()> {
    match item {
        MenuItemKind::MenuItem(i) => i.set_text(text),
        MenuItemKind::Check(i) => i.set_text(text),
        MenuItemKind::Submenu(i) => i.set_text(text),
        MenuItemKind::Icon(i) => i.set_text(text),
        // Separators have no text (and no entry gives them an id).
        MenuItemKind::Predefined(_) => Ok(()),
    }
}

/// The menu of a model, and its items by menu id.
fn menu<R: Runtime>(app: &AppHandle<R>, model: &TrayModel) -> tauri::Result<(Menu<R>, Items<R>)> {
    let mut kept = Items::new();
    let items = items(app, &model.entries, &mut kept)?;
    let refs: Vec<&dyn IsMenuItem<R>> = items.iter().map(|i| i.as_ref()).collect();
    Ok((Menu::with_items(app, &refs)?, kept))
}

/// The native items of some entries (submenus built recursively); each one with an id is also
/// kept in `kept`.
fn items<R: Runtime>(
    app: &AppHandle<R>,
    entries: &[TrayEntry],
    kept: &mut Items<R>,
) -> tauri::Result<Vec<Box<dyn IsMenuItem<R>>>> {
    let mut out: Vec<Box<dyn IsMenuItem<R>>> = Vec::with_capacity(entries.len());
    for entry in entries {
        out.push(match entry {
            TrayEntry::Item { action, label } => Box::new(MenuItem::with_id(
                app,
                action.id(),
                model::menu_text(label),
                true,
                None::<&str>,
            )?),
            TrayEntry::Info { id, label } => Box::new(MenuItem::with_id(
                app,
                id,
                model::menu_text(label),
                false,
                None::<&str>,
            )?),
            TrayEntry::Check {
                action,
                label,
                checked,
            } => Box::new(CheckMenuItem::with_id(
                app,
                action.id(),
                model::menu_text(label),
                true,
                *checked,
                None::<&str>,
            )?),
            TrayEntry::Submenu { id, label, entries } => {
                let children = items(app, entries, kept)?;
                let refs: Vec<&dyn IsMenuItem<R>> = children.iter().map(|i| i.as_ref()).collect();
                Box::new(Submenu::with_id_and_items(
                    app,
                    id,
                    model::menu_text(label),
                    true,
                    &refs,
                )?)
            }
            TrayEntry::Separator => Box::new(PredefinedMenuItem::separator(app)?),
        });
        if let Some(id) = entry_id(entry) {
            if let Some(item) = out.last() {
                kept.insert(id, item.kind());
            }
        }
    }
    Ok(out)
}

/// The menu id of an entry (separators have none).
fn entry_id(entry: &TrayEntry) -> Option<String> {
    match entry {
        TrayEntry::Item { action, .. } | TrayEntry::Check { action, .. } => Some(action.id()),
        TrayEntry::Info { id, .. } | TrayEntry::Submenu { id, .. } => Some(id.clone()),
        TrayEntry::Separator => None,
    }
}

fn icon(which: TrayIcon) -> tauri::Result<Image<'static>> {
    Image::from_bytes(match which {
        TrayIcon::Ok => ICON_OK,
        TrayIcon::Expiring => ICON_EXPIRING,
        TrayIcon::Expired => ICON_EXPIRED,
        TrayIcon::SignedOut => ICON_SIGNED_OUT,
    })
}

fn on_menu_event<R: Runtime>(app: &AppHandle<R>, event: MenuEvent, open_window: OpenWindow<R>) {
    let Some(action) = TrayAction::from_id(event.id().as_ref()) else {
        return;
    };
    tracing::info!(?action, "tray menu clicked");
    match action {
        TrayAction::OpenWindow | TrayAction::MoreProfiles => {
            if let Err(e) = open_window(app) {
                tracing::error!(error = %e, "cannot open the window");
            }
        }
        TrayAction::Quit => app.exit(0),
        other => app
            .state::<AppState>()
            .send(crate::state::Command::Action(other)),
    }
}
