module dev.tlogmigrate/launcher/staticserver

go 1.24.0
