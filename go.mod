module imagecx

go 1.26
