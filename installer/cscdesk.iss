; Inno Setup script for the cscdesk Windows installer (Inno Setup 6.3 or later).
;
; Build the bundle first (dist\cscdesk, see installer\README.md), then from the top of the tree:
;     iscc /DAppVersion=0.1.0 installer\cscdesk.iss
; The installer is written to dist\installer\cscdesk-<version>-setup.exe.
;
; What it does:
; - installs for the current user only, without administrator rights, into
;   %LOCALAPPDATA%\Programs\cscdesk ({userpf});
; - adds a Start-menu shortcut (and, if ticked, a desktop one) to cscdesk-gui.exe;
; - upgrades in place: the fixed AppId makes a newer installer replace the older version in the
;   same folder, after removing the old program files;
; - the uninstaller removes only the program folder. The database, backups, logs and settings
;   live in %LOCALAPPDATA%\cscdesk (or wherever the officer chose for backups), outside {app},
;   and are never deleted.

#ifndef AppVersion
  #define AppVersion "0.1.0"
#endif
#define AppName "cscdesk"
#define AppExe "cscdesk-gui.exe"

[Setup]
; Never change the AppId: upgrades and the uninstaller find the installed copy by it.
AppId={{5CEF63FD-AC16-4B53-9F75-32825DE90A5C}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=cscdesk developers
AppComments=Complaints and representations casework and the annual appendix for Children's Social Care
VersionInfoVersion={#AppVersion}
; Per-user install: no UAC prompt, nothing written outside the user's profile.
PrivilegesRequired=lowest
DefaultDirName={userpf}\{#AppName}
UsePreviousAppDir=yes
DisableProgramGroupPage=yes
DisableDirPage=auto
UsedUserAreasWarning=no
; The bundle is 64-bit.
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
; Close a running cscdesk before replacing its files (Windows Restart Manager).
CloseApplications=yes
RestartApplications=no
SetupIconFile=..\resources\icons\cscdesk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
WizardStyle=modern
Compression=lzma2
SolidCompression=yes
OutputDir=..\dist\installer
OutputBaseFilename=cscdesk-{#AppVersion}-setup

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade first clears the previous version's program files (never any data: that is not in {app}).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\dist\cscdesk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"; Comment: "Complaints and representations for Children's Social Care"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete] section on purpose: the uninstaller removes exactly what Setup installed.

[Code]
procedure CurUninstallStepChanged(CurUninstallStep: TUninstallStep);
begin
  if (CurUninstallStep = usPostUninstall) and not UninstallSilent then
    MsgBox('cscdesk has been removed. Your database and backups were kept in ' +
      ExpandConstant('{localappdata}\cscdesk') +
      ' (and in any other backup folder chosen in Settings). Delete them yourself only when ' +
      'the records are no longer needed.', mbInformation, MB_OK);
end;
