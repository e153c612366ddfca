/* The floor of an idle GTK tray (issue 21): the least any tray app on GTK 3 maps. GTK initialised,
 * one libayatana-appindicator icon with a ten-item menu (what Tauri's tray icon uses on Linux),
 * the GLib main loop, nothing else. idle.sh builds it when a C compiler and the GTK and ayatana
 * development files are there, runs it in the same X server and session bus as the app, and
 * reports its resident memory beside the app's, so the part of the app's RSS any GTK tray has is
 * measured rather than guessed.
 *
 *   cc -O2 -o gtk-floor gtk-floor.c $(pkg-config --cflags --libs gtk+-3.0 ayatana-appindicator3-0.1)
 */
#include <gtk/gtk.h>
#include <libayatana-appindicator/app-indicator.h>

int main(int argc, char **argv) {
    gtk_init(&argc, &argv);
    GtkWidget *menu = gtk_menu_new();
    for (int i = 0; i < 10; i++) {
        char label[32];
        g_snprintf(label, sizeof label, "Item %d", i);
        GtkWidget *item = gtk_menu_item_new_with_label(label);
        gtk_menu_shell_append(GTK_MENU_SHELL(menu), item);
    }
    gtk_widget_show_all(menu);
    AppIndicator *ind =
        app_indicator_new("gtk-floor", "dialog-information", APP_INDICATOR_CATEGORY_APPLICATION_STATUS);
    app_indicator_set_status(ind, APP_INDICATOR_STATUS_ACTIVE);
    app_indicator_set_menu(ind, GTK_MENU(menu));
    gtk_main();
    return 0;
}
