//! The tray icon: built once at start-up from a [`TrayModel`] ([`crate::tray_model`]) and
//! rebuilt as a whole whenever the state it shows changes. Menu clicks map back to a
//! [`TrayAction`]; the one that opens the window calls the opener [`create`] was given.

pub mod host;

use tauri::image::Image;
use tauri::menu::{
    CheckMenuItem, IsMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem, Submenu,
};
use tauri::tray::TrayIconBuilder;
use tauri::{AppHandle, Manager, Runtime};

use crate::state::AppState;
use crate::tray_model::{self as model, TrayAction, TrayEntry, TrayIcon, TrayModel};

/// Shows the window (the tray process's [`crate::window::open`]): what Open Lanyard and More
/// profiles do.
pub type OpenWindow<R> = fn(&AppHandle<R>) -> std::io::Result<()>;

/// The id of Lanyard's one tray icon.
pub const TRAY_ID: &str = "main";

const ICON_OK: &[u8] = include_bytes!("../../../icons/tray/ok.png");
const ICON_EXPIRING: &[u8] = include_bytes!("../../../icons/tray/expiring.png");
const ICON_EXPIRED: &[u8] = include_bytes!("../../../icons/tray/expired.png");
const ICON_SIGNED_OUT: &[u8] = include_bytes!("../../../icons/tray/signed-out.png");

/// Creates the tray icon from the current state; its window items call `open_window`.
pub fn create<R: Runtime>(app: &AppHandle<R>, open_window: OpenWindow<R>) -> tauri::Result<()> {
    let model = TrayModel::build(&app.state::<AppState>().tray_input());
    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon(model.icon)?)
        .tooltip(&model.title)
        .title(&model.title)
        .menu(&menu(app, &model)?)
        .on_menu_event(move |app, event| on_menu_event(app, event, open_window))
        .build(app)?;
    tracing::info!(items = ?model.labels(), "tray created");
    Ok(())
}

/// Replaces the tray's icon and whole menu with what the current state gives.
pub fn rebuild<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<()> {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        return Ok(());
    };
    let model = TrayModel::build(&app.state::<AppState>().tray_input());
    tray.set_menu(Some(menu(app, &model)?))?;
    tray.set_icon(Some(icon(model.icon)?))?;
    // Linux app indicators have no tooltip: the state goes in the title where it is shown.
    tray.set_title(Some(&model.title))?;
    tracing::info!(items = ?model.labels(), "tray rebuilt");
    Ok(())
}

fn menu<R: Runtime>(app: &AppHandle<R>, model: &TrayModel) -> tauri::Result<Menu<R>> {
    let items = items(app, &model.entries)?;
    let refs: Vec<&dyn IsMenuItem<R>> = items.iter().map(|i| i.as_ref()).collect();
    Menu::with_items(app, &refs)
}

/// The native items of some entries (submenus built recursively).
fn items<R: Runtime>(
    app: &AppHandle<R>,
    entries: &[TrayEntry],
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
                let children = items(app, entries)?;
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
    }
    Ok(out)
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
